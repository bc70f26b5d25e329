/**
 * LayerNormalization and BatchNormalization (inference). BatchNormalization folds its moving
 * statistics into one Mul and one Add over the last axis: ONNX's BatchNormalization op is
 * channel-first, tfjs's axis is usually the last one.
 */
import type { ConverterContext, LayerConverter, WeightLike } from '../registry.js';

/** This file's converters by tfjs layer class; the registry adds them on first use. */
export const converters = new Map<string, LayerConverter>();

interface NormProps {
  axis: number | number[];
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma?: WeightLike | null;
  beta?: WeightLike | null;
}

const positive = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/** Float32 values of a weight (a LayerVariable or a tensor). */
function values(w: WeightLike): Float32Array {
  const t = 'read' in w ? w.read() : w;
  return t.dataSync() as Float32Array;
}

/** `param` reshaped to broadcast against x over the axes from `first` on (ones elsewhere). */
function broadcastParam(ctx: ConverterContext, param: string, dims: number[]): string {
  return ctx.node('Reshape', [param, ctx.constantInt64(dims)]);
}

converters.set('LayerNormalization', (layer, ctx) => {
  const ln = layer as unknown as NormProps;
  const shape = ctx.inputShapes[0];
  const rank = shape.length;
  const axes = (Array.isArray(ln.axis) ? ln.axis : [ln.axis]).map((a) => positive(a, rank));
  const first = Math.min(...axes);
  const trailing = [...axes].sort((a, b) => a - b).every((a, i) => a === first + i) && first + axes.length === rank;
  const paramShape = axes.map((a) => shape[a] as number);
  const x = ctx.inputs[0];

  if (trailing && ctx.opset >= 17 && axes.every((a, i) => i === 0 || a > axes[i - 1])) {
    // LayerNormalization-17 requires a scale; a layer with scale = false gets ones.
    const count = paramShape.reduce((a, b) => a * b, 1);
    const scale = ln.scale && ln.gamma ? ctx.weight(ln.gamma) : ctx.constantFloat(new Array(count).fill(1), paramShape);
    const inputs = [x, scale];
    if (ln.center && ln.beta) inputs.push(ctx.weight(ln.beta));
    return ctx.node('LayerNormalization', inputs, { axis: first, epsilon: { float: ln.epsilon } });
  }

  // Decomposed: population variance, as tfjs moments().
  const mean = ctx.graph.reduce('ReduceMean', x, axes);
  const centred = ctx.node('Sub', [x, mean]);
  const variance = ctx.graph.reduce('ReduceMean', ctx.node('Mul', [centred, centred]), axes);
  const std = ctx.node('Sqrt', [ctx.node('Add', [variance, ctx.constantFloat([ln.epsilon])])]);
  let y = ctx.node('Div', [centred, std]);
  // tfjs reshapes gamma/beta (shape = dims of `axes`, in that order) to a broadcast shape.
  const bShape = Array.from({ length: rank - first }, (_, i) => (axes.includes(first + i) ? (shape[first + i] as number) : 1));
  if (ln.scale && ln.gamma) y = ctx.node('Mul', [y, broadcastParam(ctx, ctx.weight(ln.gamma), bShape)]);
  if (ln.center && ln.beta) y = ctx.node('Add', [y, broadcastParam(ctx, ctx.weight(ln.beta), bShape)]);
  return y;
});

/** The parameters of a BatchNormalization layer at inference. */
export interface BatchNormParams {
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma?: WeightLike | null;
  beta?: WeightLike | null;
  movingMean: WeightLike;
  movingVariance: WeightLike;
}

/**
 * Folds inference-time batch normalization into y = x * scale + shift per channel:
 * (x - mean) / sqrt(var + eps) * gamma + beta, computed in float64. Families whose layouts
 * differ (e.g. cnn's NCHW feature maps) share this arithmetic and only shape the result.
 */
export function foldBatchNorm(bn: BatchNormParams): { scale: Float32Array; shift: Float32Array } {
  const mean = values(bn.movingMean);
  const variance = values(bn.movingVariance);
  const gamma = bn.scale && bn.gamma ? values(bn.gamma) : null;
  const beta = bn.center && bn.beta ? values(bn.beta) : null;
  const scale = new Float32Array(mean.length);
  const shift = new Float32Array(mean.length);
  for (let i = 0; i < mean.length; i++) {
    const si = (gamma ? gamma[i] : 1) / Math.sqrt(variance[i] + bn.epsilon);
    scale[i] = si;
    shift[i] = (beta ? beta[i] : 0) - mean[i] * si;
  }
  return { scale, shift };
}

// A layer applied at several nodes reuses its folded initializers.
const folded = new WeakMap<object, Map<string, [string, string, number]>>();

converters.set('BatchNormalization', (layer, ctx) => {
  const rank = ctx.inputShapes[0].length;
  const byLayer = folded.get(ctx.graph) ?? new Map<string, [string, string, number]>();
  folded.set(ctx.graph, byLayer);
  const key = `${layer.id}/${rank}`;
  const bn = layer as unknown as NormProps & { movingMean: WeightLike; movingVariance: WeightLike };
  const axis = positive(bn.axis as number, rank);
  const known = byLayer.get(key);
  if (known) return affine(ctx, axis === rank - 1, ...known);
  const { scale: s, shift: t } = foldBatchNorm(bn);
  const c = s.length;
  const scale = ctx.graph.initializer(s, [c], `${layer.name}/folded_scale`);
  const shift = ctx.graph.initializer(t, [c], `${layer.name}/folded_shift`);
  byLayer.set(key, [scale, shift, c]);
  return affine(ctx, axis === rank - 1, scale, shift, c);
});

/**
 * x * scale + shift with [C]-shaped parameters. tfjs 4.22's batchNorm kernels (cpu and wasm)
 * index the parameters modulo C over the flattened tensor: for the last axis that is
 * per-channel broadcasting, for any other axis it is not (a tfjs bug, seen in training too).
 * To compute what the tfjs model computes, other axes go through Reshape([-1, C]) and back.
 */
function affine(ctx: ConverterContext, lastAxis: boolean, scale: string, shift: string, c: number): string {
  const x = ctx.inputs[0];
  if (lastAxis) return ctx.node('Add', [ctx.node('Mul', [x, scale]), shift]);
  const flat = ctx.node('Reshape', [x, ctx.constantInt64([-1, c])]);
  const y = ctx.node('Add', [ctx.node('Mul', [flat, scale]), shift]);
  return ctx.node('Reshape', [y, ctx.node('Shape', [x])]);
}
