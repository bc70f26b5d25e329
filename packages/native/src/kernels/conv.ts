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

type BackpropAttrs = tfjs.Conv2DBackpropInputAttrs & tfjs.Conv2DBackpropFilterAttrs;

/**
 * A gradient kernel over two float32 inputs `names`: tfjs's conv info from the x and filter
 * shapes `shapes` gives, then `compute` returns the gradient's shape and values. NCHW and
 * other dtypes go to the original kernel.
 */
function backpropConfig(
  tf: Tf,
  original: tfjs.KernelConfig,
  backendName: string,
  names: [string, string],
  shapes: (a: tfjs.TensorInfo, b: tfjs.TensorInfo, attrs: BackpropAttrs) => [number[], number[]],
  compute: (a: Float32Array, b: Float32Array, c: ConvInfo) => [number[], Float32Array],
): tfjs.KernelConfig {
  return {
    kernelName: original.kernelName,
    backendName,
    kernelFunc: (args) => {
      const backend = args.backend as unknown as CpuBackend;
      const inputs = args.inputs as Record<string, tfjs.TensorInfo>;
      const [a, b] = names.map((n) => inputs[n]);
      const attrs = args.attrs as unknown as BackpropAttrs;
      const av = f32(backend, a);
      const bv = f32(backend, b);
      const c = av && bv ? info(tf, ...shapes(a, b, attrs), attrs) : null;
      if (c == null) return original.kernelFunc(args) as tfjs.TensorInfo;
      const [shape, values] = compute(av as Float32Array, bv as Float32Array, c);
      return backend.makeTensorInfo(shape, 'float32', values);
    },
  };
}

/** The input gradient: dy x W^T, scattered back with col2im. */
export function conv2DBackpropInputConfig(tf: Tf, addon: NativeAddon, original: tfjs.KernelConfig, backendName: string): tfjs.KernelConfig {
  return backpropConfig(tf, original, backendName, ['dy', 'filter'], (_dy, filter, a) => [[...a.inputShape], filter.shape], (dy, w, c) => {
    const dx = new Float32Array(c.batchSize * c.inHeight * c.inWidth * c.inChannels);
    addon.conv2dBackpropInput(dy, w, dx, dims(c));
    return [[c.batchSize, c.inHeight, c.inWidth, c.inChannels], dx];
  });
}

/** The filter gradient: sum over images of im2col(x)^T x dy, one partial per thread. */
export function conv2DBackpropFilterConfig(tf: Tf, addon: NativeAddon, original: tfjs.KernelConfig, backendName: string): tfjs.KernelConfig {
  return backpropConfig(tf, original, backendName, ['x', 'dy'], (x, _dy, a) => [x.shape, [...a.filterShape]], (x, dy, c) => {
    const dw = new Float32Array(c.filterHeight * c.filterWidth * c.inChannels * c.outChannels);
    addon.conv2dBackpropFilter(x, dy, dw, dims(c));
    return [[c.filterHeight, c.filterWidth, c.inChannels, c.outChannels], dw];
  });
}
