/** Access to the tfjs cpu backend's storage, shared by the native kernel wrappers. */
import type * as tfjs from '@tensorflow/tfjs';

/** The tfjs namespace the kernels are registered into (passed in: one tfjs instance per process). */
export type Tf = typeof tfjs;

/** The slice of MathBackendCPU the kernels use (its storage map and tensor factory). */
export interface CpuBackend {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: string, values?: Float32Array): tfjs.TensorInfo;
}

/** The tensor's Float32Array, or null when it is not plain float32 storage (then fall back). */
export function f32(backend: CpuBackend, t: tfjs.TensorInfo | undefined): Float32Array | null {
  if (t == null || t.dtype !== 'float32') return null;
  const values = backend.data.get(t.dataId).values;
  return values instanceof Float32Array ? values : null;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** Activation codes of csrc/gemm.h; undefined = not supported natively (fall back). */
export const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, relu6: 2, sigmoid: 3, elu: 4, leakyrelu: 5 };

/** A bias of n values (or one, broadcast), or null when its shape needs the general path. */
export function biasVector(backend: CpuBackend, bias: tfjs.TensorInfo | undefined, n: number): Float32Array | null | undefined {
  if (bias == null) return undefined;
  const values = f32(backend, bias);
  if (values == null) return null;
  if (values.length === n && bias.shape.slice(0, -1).every((d) => d === 1)) return values;
  if (values.length === 1) return new Float32Array(n).fill(values[0]);
  return null;
}

type Outputs = tfjs.TensorInfo | tfjs.TensorInfo[];

/**
 * A kernel that tries a fast path on the cpu backend's storage: `run` returns null where it
 * does not apply (other dtypes, layouts, inputs), and the original cpu kernel runs instead.
 */
export function fastPath(
  kernelName: string,
  backendName: string,
  originals: Record<string, tfjs.KernelConfig>,
  run: (args: Parameters<tfjs.KernelFunc>[0], backend: CpuBackend) => Outputs | null,
): tfjs.KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: (args) => run(args, args.backend as unknown as CpuBackend) ?? (originals[kernelName].kernelFunc(args) as Outputs),
  };
}
