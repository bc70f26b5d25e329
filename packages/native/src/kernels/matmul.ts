/**
 * BatchMatMul and _FusedMatMul for the cpu-storage backend, on the native GEMM. Every
 * transpose combination is handled by the GEMM's packing (no transposed copies); bias
 * and activation are applied in the same pass. Anything unusual (int dtypes, PReLU,
 * exotic batch broadcasting) goes to the original cpu kernel.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { ACTIVATIONS, biasVector, type CpuBackend, f32, sizeOf, type Tf } from './util.js';

interface MatMulCall {
  a: tfjs.TensorInfo;
  b: tfjs.TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  bias?: tfjs.TensorInfo;
  activation?: string;
  alpha?: number;
}

/** Runs one (batched) product natively; null = not supported, use the original kernel. */
function nativeMatMul(tf: Tf, addon: NativeAddon, backend: CpuBackend, call: MatMulCall): tfjs.TensorInfo | null {
  const { a, b, transposeA, transposeB } = call;
  const av = f32(backend, a);
  const bv = f32(backend, b);
  if (av == null || bv == null || a.shape.length < 2 || b.shape.length < 2) return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const k2 = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== k2) return null; // the original kernel throws tfjs's own message
  const act = ACTIVATIONS[call.activation ?? 'linear'];
  if (act === undefined) return null;
  const bias = biasVector(backend, call.bias, n);
  if (bias === null) return null;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  const batch = sizeOf(outer);
  const batchA = sizeOf(outerA);
  const batchB = sizeOf(outerB);
  // Item i reads a[i % batchA], b[i % batchB]: right when each side is whole or single.
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return null;
  const out = new Float32Array(batch * m * n);
  if (batchB === 1 && batchA === batch && !transposeA) {
    // A batch of rows times one matrix is one tall GEMM: better blocking and threading.
    addon.gemm(av, bv, out, bias ?? null, Int32Array.of(1, 1, 1, batch * m, n, k, 0, transposeB ? 1 : 0, act, 0), call.alpha ?? 0);
  } else {
    const dims = Int32Array.of(batch, batchA, batchB, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0, act, 0);
    addon.gemm(av, bv, out, bias ?? null, dims, call.alpha ?? 0);
  }
  return backend.makeTensorInfo([...outer, m, n], 'float32', out);
}

/** BatchMatMul kernel config for `backendName`, falling back to `original`. */
export function batchMatMulConfig(tf: Tf, addon: NativeAddon, original: tfjs.KernelConfig, backendName: string): tfjs.KernelConfig {
  const kernelFunc: tfjs.KernelFunc = (args) => {
    const { a, b } = args.inputs as { a: tfjs.TensorInfo; b: tfjs.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as tfjs.BatchMatMulAttrs;
    const out = nativeMatMul(tf, addon, args.backend as unknown as CpuBackend, { a, b, transposeA, transposeB });
    return out ?? (original.kernelFunc(args) as tfjs.TensorInfo);
  };
  return { kernelName: tf.BatchMatMul, backendName, kernelFunc };
}

/** _FusedMatMul (matmul + bias + activation, as tfjs-layers' Dense calls it). */
export function fusedMatMulConfig(tf: Tf, addon: NativeAddon, original: tfjs.KernelConfig, backendName: string): tfjs.KernelConfig {
  const kernelFunc: tfjs.KernelFunc = (args) => {
    const inputs = args.inputs as unknown as tfjs._FusedMatMulInputs;
    const attrs = args.attrs as unknown as tfjs._FusedMatMulAttrs;
    const out = nativeMatMul(tf, addon, args.backend as unknown as CpuBackend, {
      a: inputs.a, b: inputs.b, transposeA: attrs.transposeA, transposeB: attrs.transposeB,
      bias: inputs.bias, activation: attrs.activation, alpha: attrs.leakyreluAlpha ?? 0.2,
    });
    return out ?? (original.kernelFunc(args) as tfjs.TensorInfo);
  };
  return { kernelName: tf._FusedMatMul, backendName, kernelFunc };
}
