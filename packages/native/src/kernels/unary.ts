/**
 * Elementwise unary ops in C++ (vectorised, threaded above 32k elements). The cpu
 * backend runs them as one shared JS loop calling an op closure, ~10-15 ns per element:
 * in a CNN step Relu and Step (its gradient) took 53 ms of 115 (tf.profile, native). Also
 * a Cast fix: the cpu backend casts bool to float32 without converting the storage (a
 * Uint8Array stays behind a float32 tensor), which sent every later native kernel on that
 * tensor to its slow JS fallback (the RBM's matmuls on sampled units: 64 ms a step).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { f32, fastPath } from './util.js';

/** Kernel names in the addon's op-code order (csrc/unary.cc). */
export const UNARY_OPS = [
  'Relu', 'Relu6', 'Step', 'Sigmoid', 'Tanh', 'Exp', 'Log', 'Sqrt', 'Rsqrt', 'Square', 'Neg', 'Abs', 'Floor', 'Elu', 'LeakyRelu', 'Reciprocal',
] as const;

type Original = Record<string, tfjs.KernelConfig>;

export function unaryConfigs(addon: NativeAddon, originals: Original, backendName: string): tfjs.KernelConfig[] {
  const ops = UNARY_OPS.map((name, code) =>
    fastPath(name, backendName, originals, (args, backend) => {
      const { x } = args.inputs as { x: tfjs.TensorInfo };
      const values = f32(backend, x);
      if (values == null) return null;
      const out = new Float32Array(values.length);
      const alpha = (args.attrs as { alpha?: number } | undefined)?.alpha ?? 0;
      addon.unary(code, values, out, alpha);
      return backend.makeTensorInfo([...x.shape], 'float32', out);
    }),
  );
  const cast = fastPath('Cast', backendName, originals, (args, backend) => {
    const { x } = args.inputs as { x: tfjs.TensorInfo };
    const out = originals.Cast.kernelFunc(args) as tfjs.TensorInfo;
    if (out.dtype !== 'float32') return out;
    const values = backend.data.get(out.dataId).values;
    if (values instanceof Float32Array || !ArrayBuffer.isView(values)) return out;
    // Same values, float32 storage: a fresh tensor (the original output may share x's data).
    const converted = backend.makeTensorInfo([...x.shape], 'float32', Float32Array.from(values as unknown as ArrayLike<number>));
    (args.backend as tfjs.KernelBackend).disposeData(out.dataId);
    return converted;
  });
  // Every cross-entropy loss clips its probabilities; the cpu kernel runs a closure per element.
  const clip = fastPath('ClipByValue', backendName, originals, (args, backend) => {
    const { x } = args.inputs as { x: tfjs.TensorInfo };
    const values = f32(backend, x);
    if (values == null) return null;
    const { clipValueMin: lo, clipValueMax: hi } = args.attrs as unknown as tfjs.ClipByValueAttrs;
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      out[i] = Math.min(Math.max(v, lo), hi); // NaN stays NaN, as on cpu
    }
    return backend.makeTensorInfo([...x.shape], 'float32', out);
  });
  return [...ops, cast, clip];
}
