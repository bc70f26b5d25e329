/**
 * @neurozoo/native: optional native training kernels for TensorFlow.js in Node.
 *
 * `registerNativeBackend(tf)` registers a tfjs backend named 'native': the pure-JS cpu
 * backend (same storage, same kernels) with the hot kernels replaced by the C++ addon:
 * BatchMatMul/_FusedMatMul, Conv2D/FusedConv2D and both conv gradients, a fused Adam
 * update and the LSTM step kernels of @neurozoo/core (forward and backward), vectorised unary ops
 * (activations, exp/log/sqrt, floor); plus strided fast paths for broadcasting elementwise ops, contiguous-axis
 * reductions, Transpose, Slice/SplitV/Tile and last-axis Softmax, whose generic cpu versions
 * dominate a step otherwise. When the addon is missing or fails to load it registers nothing and says why.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { loadAddon } from './addon.js';
import { ADAM_KERNEL, adamConfig, patchAdam } from './kernels/adam.js';
import { conv2DBackpropFilterConfig, conv2DBackpropInputConfig, conv2DConfigs } from './kernels/conv.js';
import { eltwiseConfigs } from './kernels/eltwise.js';
import { LSTM_STEP_GRAD_KERNEL, LSTM_STEP_KERNEL, lstmConfigs } from './kernels/lstm.js';
import { batchMatMulConfig, fusedMatMulConfig } from './kernels/matmul.js';
import { poolConfigs } from './kernels/pool.js';
import { sliceConfigs } from './kernels/slice.js';
import { UNARY_OPS, unaryConfigs } from './kernels/unary.js';
import type { Tf } from './kernels/util.js';

export { ADAM_KERNEL };

/** The backend name registered by {@link registerNativeBackend}. */
export const NATIVE_BACKEND = 'native';

/** What {@link registerNativeBackend} did. */
export interface NativeStatus {
  /** True when the 'native' backend is registered and usable. */
  available: boolean;
  /** Why it is not available (absent when it is). */
  reason?: string;
  /** Threads of the addon's pool and the GEMM micro-kernel ("avx2-fma" or "scalar"). */
  threads?: number;
  kernel?: string;
}

/** The kernels this package replaces (the rest of the backend is tfjs's cpu backend). */
export const NATIVE_KERNELS = [
  'BatchMatMul', '_FusedMatMul', 'Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', ADAM_KERNEL,
  'Add', 'Sub', 'Multiply', 'RealDiv', 'Maximum', 'Minimum', 'SquaredDifference', 'Sum', 'Mean', 'Max', 'Transpose', 'MaxPool', 'MaxPoolGrad', 'AvgPool', 'AvgPoolGrad',
  'Slice', 'SplitV', 'Tile', 'GatherV2', 'Reverse', 'UnsortedSegmentSum', 'Unpack', 'PadV2', 'Concat', 'Softmax', LSTM_STEP_KERNEL, LSTM_STEP_GRAD_KERNEL, ...UNARY_OPS, 'Cast', 'ClipByValue',
] as const;

let status: NativeStatus | undefined;

/**
 * Registers the 'native' backend into `tf` (once per process; later calls return the
 * first result). Never throws for a missing or broken addon: check `available`.
 *
 * @param tf - The `@tensorflow/tfjs` namespace in use (the caller's single instance).
 * @param priority - tfjs backend priority; the default 0 keeps tfjs's own choice unchanged.
 */
export function registerNativeBackend(tf: typeof tfjs, priority = 0): NativeStatus {
  if (status) return status;
  const { addon, error } = loadAddon();
  const cpuFactory = tf.findBackendFactory('cpu');
  if (addon == null || cpuFactory == null) {
    status = { available: false, reason: error ?? "tfjs's cpu backend is not registered" };
    return status;
  }
  const t = tf as Tf;
  // Same backend class as 'cpu', registered under another name, so 'cpu' stays the
  // untouched pure-JS reference the kernel tests compare against.
  // The cpu backend's first write prints an advert for tfjs-node (uninstallable offline).
  const factory = () => {
    const backend = cpuFactory() as unknown as { firstUse?: boolean };
    backend.firstUse = false;
    return backend as unknown as tfjs.KernelBackend;
  };
  tf.registerBackend(NATIVE_BACKEND, factory, priority);
  const originals: Record<string, tfjs.KernelConfig> = {};
  for (const k of tf.getKernelsForBackend('cpu')) {
    originals[k.kernelName] = k;
    tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
  }
  const replacements = [
    batchMatMulConfig(t, addon, originals[tf.BatchMatMul], NATIVE_BACKEND),
    fusedMatMulConfig(t, addon, originals[tf._FusedMatMul], NATIVE_BACKEND),
    ...conv2DConfigs(t, addon, originals, NATIVE_BACKEND),
    conv2DBackpropInputConfig(t, addon, originals[tf.Conv2DBackpropInput], NATIVE_BACKEND),
    conv2DBackpropFilterConfig(t, addon, originals[tf.Conv2DBackpropFilter], NATIVE_BACKEND),
    adamConfig(addon, NATIVE_BACKEND),
    ...lstmConfigs(addon, NATIVE_BACKEND),
    ...eltwiseConfigs(t, addon, originals, NATIVE_BACKEND),
    ...poolConfigs(t, addon, originals, NATIVE_BACKEND),
    ...sliceConfigs(t, addon, originals, NATIVE_BACKEND),
    ...unaryConfigs(addon, originals, NATIVE_BACKEND),
  ];
  for (const config of replacements) {
    if (tf.getKernel(config.kernelName, NATIVE_BACKEND) != null) tf.unregisterKernel(config.kernelName, NATIVE_BACKEND);
    tf.registerKernel(config);
  }
  patchAdam(t, NATIVE_BACKEND);
  const { threads, kernel } = addon.info();
  status = { available: true, threads, kernel };
  return status;
}

/**
 * Sets the addon's thread count (JS thread included); 0 = NEUROZOO_THREADS or the core
 * count. Returns the count in effect, or 0 when the addon is not loaded.
 */
export function setNativeThreads(n: number): number {
  const { addon } = loadAddon();
  return addon ? addon.setThreads(n) : 0;
}
