/**
 * ONNX converters for tfjs's convolution layers: Conv2D, DepthwiseConv2D, SeparableConv2D.
 * Kernels are folded into OIHW initializers at export time (HWIO -> OIHW for Conv2D; depthwise
 * kernels [kh, kw, C, m] -> [C*m, 1, kh, kw] with group = C, channel c*m + j as in tfjs).
 * 'same' padding becomes explicit pads by TensorFlow's rule (the odd cell after).
 */
import type { OnnxGraph } from '../graph.js';
import type { ConverterContext, LayerConverter, WeightLike } from '../registry.js';
import { activationName } from './activations.js';
import { fromNchw, isAxisActivation, pair, requireChannelsLast, spatial, toNchw, windowPads } from './layout.js';

/** This file's converters by tfjs layer class; the registry adds them on first use. */
export const converters = new Map<string, LayerConverter>();

interface ConvProps {
  name: string;
  id: number;
  kernel?: WeightLike;
  depthwiseKernel?: WeightLike;
  pointwiseKernel?: WeightLike;
  bias?: WeightLike | null;
  useBias: boolean;
  kernelSize: number[];
  strides: number[];
  padding: string;
  dilationRate: number | number[];
  dataFormat?: string;
  activation?: unknown;
}

const read = (w: WeightLike) => ('read' in w ? w.read() : w);

// Folded kernels per graph and layer, so a layer called at several nodes shares them.
const folded = new WeakMap<OnnxGraph, Map<string, string>>();

function foldOnce(ctx: ConverterContext, key: string, make: () => [Float32Array, number[], string]): string {
  let byKey = folded.get(ctx.graph);
  if (!byKey) folded.set(ctx.graph, (byKey = new Map()));
  const known = byKey.get(key);
  if (known) return known;
  const [data, dims, name] = make();
  const init = ctx.graph.initializer(data, dims, name);
  byKey.set(key, init);
  return init;
}

/** `w` of 4-D shape `dims`, transposed so that output axis k is input axis `perm[k]` (a copy). */
function transpose4(w: Float32Array, dims: readonly number[], perm: readonly number[]): Float32Array {
  const inStride = [dims[1] * dims[2] * dims[3], dims[2] * dims[3], dims[3], 1];
  const outDims = perm.map((p) => dims[p]);
  const [s0, s1, s2, s3] = perm.map((p) => inStride[p]);
  const out = new Float32Array(w.length);
  let k = 0;
  for (let a = 0; a < outDims[0]; a++)
    for (let b = 0; b < outDims[1]; b++)
      for (let c = 0; c < outDims[2]; c++)
        for (let d = 0; d < outDims[3]; d++) out[k++] = w[a * s0 + b * s1 + c * s2 + d * s3];
  return out;
}

function convKernel(ctx: ConverterContext, layer: ConvProps, which: 'kernel' | 'depthwise' | 'pointwise'): [string, number[]] {
  const variable = (which === 'kernel' ? layer.kernel : which === 'depthwise' ? layer.depthwiseKernel : layer.pointwiseKernel) as WeightLike;
  const shape = read(variable).shape;
  const [kh, kw, ci, co] = shape;
  const dims = which === 'depthwise' ? [ci * co, 1, kh, kw] : [co, ci, kh, kw];
  const name = foldOnce(ctx, `${layer.id}/${which}`, () => {
    const data = read(variable).dataSync() as Float32Array;
    // HWIO [kh, kw, ci, co] -> OIHW [co, ci, kh, kw]; depthwise [kh, kw, C, m] -> grouped OIHW [C*m, 1, kh, kw].
    const w = transpose4(data, shape, which === 'depthwise' ? [2, 3, 0, 1] : [3, 2, 0, 1]);
    return [w, dims, `${layer.name}/${which}_oihw`];
  });
  return [name, dims];
}

/** Activation and the transpose back to NHWC, shared by the three convolutions. */
function finish(ctx: ConverterContext, layer: ConvProps, y: string): string {
  const act = activationName(layer.activation);
  if (isAxisActivation(act)) return ctx.activation(act, fromNchw(ctx, y));
  return fromNchw(ctx, ctx.activation(act, y));
}

function convNode(ctx: ConverterContext, layer: ConvProps, x: string, w: string, dims: number[], group: number, dilation: [number, number], bias?: string): string {
  const hw = spatial(ctx.inputShapes[0], layer.name);
  const kernel: [number, number] = [dims[2], dims[3]];
  const strides = pair(layer.strides);
  const inputs = bias ? [x, w, bias] : [x, w];
  return ctx.node('Conv', inputs, {
    kernel_shape: kernel,
    strides,
    dilations: dilation,
    group,
    pads: windowPads(layer.padding, hw, kernel, strides, dilation),
  });
}

/**
 * A converter of a channels-last convolution layer: `body` maps the NCHW input to the NCHW output
 * (`bias()` adds the bias initializer when the layer has one); the activation and the transpose
 * back to NHWC follow.
 */
function convConverter(body: (layer: ConvProps, ctx: ConverterContext, x: string, bias: () => string | undefined) => string): LayerConverter {
  return (tfLayer, ctx) => {
    const layer = tfLayer as unknown as ConvProps;
    requireChannelsLast(layer);
    const bias = () => (layer.useBias && layer.bias ? ctx.weight(layer.bias) : undefined);
    return finish(ctx, layer, body(layer, ctx, toNchw(ctx, ctx.inputs[0]), bias));
  };
}

const depthwiseChannels = (layer: ConvProps) => read(layer.depthwiseKernel as WeightLike).shape[2] as number;

// Conv's optional B input carries the bias (no Add node).
converters.set(
  'Conv2D',
  convConverter((layer, ctx, x, bias) => {
    const [w, dims] = convKernel(ctx, layer, 'kernel');
    return convNode(ctx, layer, x, w, dims, 1, pair(layer.dilationRate), bias());
  }),
);

// tfjs 4.22's DepthwiseConv2D layer calls depthwiseConv2d without its dilationRate.
converters.set(
  'DepthwiseConv2D',
  convConverter((layer, ctx, x, bias) => {
    const [w, dims] = convKernel(ctx, layer, 'depthwise');
    return convNode(ctx, layer, x, w, dims, depthwiseChannels(layer), [1, 1], bias());
  }),
);

converters.set(
  'SeparableConv2D',
  convConverter((layer, ctx, x, bias) => {
    const [dw, dwDims] = convKernel(ctx, layer, 'depthwise');
    const depthwise = convNode(ctx, layer, x, dw, dwDims, depthwiseChannels(layer), pair(layer.dilationRate));
    const [pw] = convKernel(ctx, layer, 'pointwise');
    const b = bias();
    return ctx.node('Conv', b ? [depthwise, pw, b] : [depthwise, pw], { kernel_shape: [1, 1] });
  }),
);
