/**
 * Registers neurozoo's wasm training kernels: the four gradients tfjs-backend-wasm 4.22
 * lacks (three conv gradients and UnsortedSegmentSum, Gather's, which Embedding layers
 * need), a faster Conv2DBackpropInput, BatchMatMul/_FusedMatMul wrappers that keep
 * XNNPACK's fast path, a Transpose wrapper for ranks above 4 and a GatherV2 wrapper that
 * copies whole rows. Needs
 * '@tensorflow/tfjs-backend-wasm' to be imported first (its import registers the kernels
 * being wrapped).
 */

import { BackendError } from '../../errors.js';
import { tf } from '../../tf.js';
import { fastBatchMatMul, fastFusedMatMul } from './BatchMatMul.js';
import { conv2DBackpropFilterConfig } from './Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './DepthwiseConv2dNativeBackpropFilter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './DepthwiseConv2dNativeBackpropInput.js';
import { fastGather } from './GatherV2.js';
import { fastTranspose } from './Transpose.js';
import { unsortedSegmentSumConfig } from './UnsortedSegmentSum.js';

/** Marks our wrappers so a second registration (e.g. a duplicated module) never wraps twice. */
const WRAPPED = Symbol.for('neurozoo.wasmKernelWrapper');

/** Replaces a kernel, whether or not one is registered under that name already. */
function replace(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName) != null) {
    tf.unregisterKernel(config.kernelName, config.backendName);
  }
  tf.registerKernel(config);
}

/** Wraps one of wasm's own kernels, keeping its setupFunc (it binds the wasm export). */
function wrap(name: string, makeWrapper: (original: tf.KernelConfig) => tf.KernelConfig): void {
  const original = tf.getKernel(name, 'wasm');
  if (original == null) {
    throw new BackendError(`The wasm backend has no ${name} kernel to wrap; import '@tensorflow/tfjs-backend-wasm' first.`);
  }
  if ((original.kernelFunc as unknown as Record<symbol, boolean>)[WRAPPED]) return;
  const wrapped = makeWrapper(original);
  (wrapped.kernelFunc as unknown as Record<symbol, boolean>)[WRAPPED] = true;
  replace(wrapped);
}

let registered = false;

/** Registers the kernels once per process; later calls do nothing. */
export function registerWasmKernels(): void {
  if (registered) return;
  wrap(tf.BatchMatMul, fastBatchMatMul);
  wrap(tf._FusedMatMul, fastFusedMatMul);
  wrap(tf.Transpose, fastTranspose);
  wrap(tf.GatherV2, fastGather);
  for (const config of [
    conv2DBackpropFilterConfig,
    conv2DBackpropInputConfig,
    depthwiseConv2dNativeBackpropFilterConfig,
    depthwiseConv2dNativeBackpropInputConfig,
    unsortedSegmentSumConfig,
  ]) {
    replace(config);
  }
  registered = true;
}
