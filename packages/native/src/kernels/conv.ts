/**
 * Conv2D, FusedConv2D, Conv2DBackpropInput and Conv2DBackpropFilter (NHWC) on the native
 * im2col + GEMM code. Shapes and padding come from tfjs's own computeConv2DInfo, so
 * 'same'/'valid'/explicit padding and dimRoundingMode mean exactly what they mean in
 * tfjs. NCHW and PReLU go to the original cpu kernels.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { ACTIVATIONS, biasVector, type CpuBackend, f32, type Tf } from './util.js';

type ConvInfo = tfjs.backend_util.Conv2DInfo;
type Pad = tfjs.Conv2DAttrs['pad'];

/** The Int32Array layout of csrc/addon.cc's conv entry points. */
function dims(c: ConvInfo, act = 0): Int32Array {
  return Int32Array.of(
    c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.filterHeight, c.filterWidth, c.outChannels,
    c.outHeight, c.outWidth, c.strideHeight, c.strideWidth, c.dilationHeight, c.dilationWidth,
    c.padInfo.top, c.padInfo.left, act,
  );
}

function info(tf: Tf, xShape: number[], filterShape: number[], a: { strides: number | [number, number]; pad: Pad; dataFormat?: string; dilations?: number | [number, number]; dimRoundingMode?: 'floor' | 'round' | 'ceil' }): ConvInfo | null {
  if (a.dataFormat === 'NCHW') return null;
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, false, 'channelsLast',
  );
}

const outShape = (c: ConvInfo): number[] => [c.batchSize, c.outHeight, c.outWidth, c.outChannels];

/** Conv2D and FusedConv2D (bias + activation fused into the GEMM epilogue). */
export function conv2DConfigs(tf: Tf, addon: NativeAddon, originals: Record<string, tfjs.KernelConfig>, backendName: string): tfjs.KernelConfig[] {
  const forward = (name: string): tfjs.KernelConfig => ({
    kernelName: name,
    backendName,
    kernelFunc: (args) => {
      const backend = args.backend as unknown as CpuBackend;
      const { x, filter, bias } = args.inputs as { x: tfjs.TensorInfo; filter: tfjs.TensorInfo; bias?: tfjs.TensorInfo };
      const attrs = args.attrs as unknown as tfjs.FusedConv2DAttrs;
      const xv = f32(backend, x);
      const wv = f32(backend, filter);
      const act = ACTIVATIONS[attrs.activation ?? 'linear'];
      const c = xv && wv && act !== undefined ? info(tf, x.shape, filter.shape, attrs) : null;
      const b = c ? biasVector(backend, bias, c.outChannels) : null;
      if (c == null || b === null) return originals[name].kernelFunc(args) as tfjs.TensorInfo;
      const y = new Float32Array(c.batchSize * c.outHeight * c.outWidth * c.outChannels);
      addon.conv2d(xv as Float32Array, wv as Float32Array, y, b ?? null, dims(c, act), attrs.leakyreluAlpha ?? 0.2);
      return backend.makeTensorInfo(outShape(c), 'float32', y);
    },
  });
  return [forward(tf.Conv2D), forward(tf.FusedConv2D)];
}

/** The input gradient: dy x W^T, scattered back with col2im. */
export function conv2DBackpropInputConfig(tf: Tf, addon: NativeAddon, original: tfjs.KernelConfig, backendName: string): tfjs.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName,
    kernelFunc: (args) => {
      const backend = args.backend as unknown as CpuBackend;
      const { dy, filter } = args.inputs as { dy: tfjs.TensorInfo; filter: tfjs.TensorInfo };
      const attrs = args.attrs as unknown as tfjs.Conv2DBackpropInputAttrs;
      const dyv = f32(backend, dy);
      const wv = f32(backend, filter);
      const c = dyv && wv ? info(tf, [...attrs.inputShape], filter.shape, attrs) : null;
      if (c == null) return original.kernelFunc(args) as tfjs.TensorInfo;
      const dx = new Float32Array(c.batchSize * c.inHeight * c.inWidth * c.inChannels);
      addon.conv2dBackpropInput(dyv as Float32Array, wv as Float32Array, dx, dims(c));
      return backend.makeTensorInfo([c.batchSize, c.inHeight, c.inWidth, c.inChannels], 'float32', dx);
    },
  };
}

/** The filter gradient: sum over images of im2col(x)^T x dy, one partial per thread. */
export function conv2DBackpropFilterConfig(tf: Tf, addon: NativeAddon, original: tfjs.KernelConfig, backendName: string): tfjs.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName,
    kernelFunc: (args) => {
      const backend = args.backend as unknown as CpuBackend;
      const { x, dy } = args.inputs as { x: tfjs.TensorInfo; dy: tfjs.TensorInfo };
      const attrs = args.attrs as unknown as tfjs.Conv2DBackpropFilterAttrs;
      const xv = f32(backend, x);
      const dyv = f32(backend, dy);
      const c = xv && dyv ? info(tf, x.shape, [...attrs.filterShape], attrs) : null;
      if (c == null) return original.kernelFunc(args) as tfjs.TensorInfo;
      const dw = new Float32Array(c.filterHeight * c.filterWidth * c.inChannels * c.outChannels);
      addon.conv2dBackpropFilter(xv as Float32Array, dyv as Float32Array, dw, dims(c));
      return backend.makeTensorInfo([c.filterHeight, c.filterWidth, c.inChannels, c.outChannels], 'float32', dw);
    },
  };
}
