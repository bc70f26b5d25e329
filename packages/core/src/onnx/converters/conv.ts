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

/** HWIO [kh, kw, ci, co] -> OIHW [co, ci, kh, kw]. */
export function hwioToOihw(w: Float32Array, [kh, kw, ci, co]: number[]): Float32Array {
  const out = new Float32Array(w.length);
  for (let h = 0; h < kh; h++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + h) * kw + x] = w[((h * kw + x) * ci + i) * co + o];
  return out;
}

/** Depthwise [kh, kw, C, m] -> grouped OIHW [C*m, 1, kh, kw] (output channel c*m + j). */
export function depthwiseToOihw(w: Float32Array, [kh, kw, c, m]: number[]): Float32Array {
  const out = new Float32Array(w.length);
  for (let h = 0; h < kh; h++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < c; i++)
        for (let j = 0; j < m; j++) out[((i * m + j) * kh + h) * kw + x] = w[((h * kw + x) * c + i) * m + j];
  return out;
}

function convKernel(ctx: ConverterContext, layer: ConvProps, which: 'kernel' | 'depthwise' | 'pointwise'): [string, number[]] {
  const variable = (which === 'kernel' ? layer.kernel : which === 'depthwise' ? layer.depthwiseKernel : layer.pointwiseKernel) as WeightLike;
  const shape = read(variable).shape;
  const [kh, kw, ci, co] = shape;
  const dims = which === 'depthwise' ? [ci * co, 1, kh, kw] : [co, ci, kh, kw];
  const name = foldOnce(ctx, `${layer.id}/${which}`, () => {
    const data = read(variable).dataSync() as Float32Array;
    const w = which === 'depthwise' ? depthwiseToOihw(data, shape) : hwioToOihw(data, shape);
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

converters.set('Conv2D', (tfLayer, ctx) => {
  const layer = tfLayer as unknown as ConvProps;
  requireChannelsLast(layer);
  const [w, dims] = convKernel(ctx, layer, 'kernel');
  // Conv's optional B input carries the bias (no Add node).
  const bias = layer.useBias && layer.bias ? ctx.weight(layer.bias) : undefined;
  const y = convNode(ctx, layer, toNchw(ctx, ctx.inputs[0]), w, dims, 1, pair(layer.dilationRate), bias);
  return finish(ctx, layer, y);
});

converters.set('DepthwiseConv2D', (tfLayer, ctx) => {
  const layer = tfLayer as unknown as ConvProps;
  requireChannelsLast(layer);
  const [w, dims] = convKernel(ctx, layer, 'depthwise');
  const channels = read(layer.depthwiseKernel as WeightLike).shape[2] as number;
  const bias = layer.useBias && layer.bias ? ctx.weight(layer.bias) : undefined;
  // tfjs 4.22's DepthwiseConv2D layer calls depthwiseConv2d without its dilationRate.
  const y = convNode(ctx, layer, toNchw(ctx, ctx.inputs[0]), w, dims, channels, [1, 1], bias);
  return finish(ctx, layer, y);
});

converters.set('SeparableConv2D', (tfLayer, ctx) => {
  const layer = tfLayer as unknown as ConvProps;
  requireChannelsLast(layer);
  const [dw, dwDims] = convKernel(ctx, layer, 'depthwise');
  const channels = read(layer.depthwiseKernel as WeightLike).shape[2] as number;
  const depthwise = convNode(ctx, layer, toNchw(ctx, ctx.inputs[0]), dw, dwDims, channels, pair(layer.dilationRate));
  const [pw] = convKernel(ctx, layer, 'pointwise');
  const bias = layer.useBias && layer.bias ? ctx.weight(layer.bias) : undefined;
  const y = ctx.node('Conv', bias ? [depthwise, pw, bias] : [depthwise, pw], { kernel_shape: [1, 1] });
  return finish(ctx, layer, y);
});
