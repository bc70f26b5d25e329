/**
 * tfjs activations as ONNX ops, and the activation layers (Activation, ReLU, LeakyReLU, PReLU,
 * ELU, ThresholdedReLU, Softmax). Formulas follow tfjs-layers 4.22's activations.ts. Ops that
 * onnxruntime-web's WebGPU EP lacks (Softplus, Selu, Softsign, PRelu, Max, Min, LogSoftmax,
 * Identity) are written with ops it has, in numerically safe forms.
 */
import { OptionError, ShapeError } from '../../errors.js';
import type { OnnxGraph } from '../graph.js';
import type { ConverterContext, LayerConverter, WeightLike } from '../registry.js';

/** This file's converters by tfjs layer class; the registry adds them on first use. */
export const converters = new Map<string, LayerConverter>();

type Emit = (g: OnnxGraph, x: string) => string;

/** softplus(x) = relu(x) + log(1 + exp(-|x|)): never overflows, unlike log(1 + exp(x)). */
function softplus(g: OnnxGraph, x: string): string {
  const negAbs = g.node('Neg', [g.node('Abs', [x])]);
  const log1pExp = g.node('Log', [g.node('Add', [g.node('Exp', [negAbs]), g.constantFloat([1])])]);
  return g.node('Add', [g.node('Relu', [x]), log1pExp]);
}

/** Softmax over `axis` (Softmax-13 normalizes one axis, as tfjs does). */
function softmax(g: OnnxGraph, x: string, axis = -1): string {
  return g.node('Softmax', [x], { axis });
}

/** log_softmax = (x - max) - log(sum(exp(x - max))), without the LogSoftmax op. */
function logSoftmax(g: OnnxGraph, x: string, axis = -1): string {
  const shifted = g.node('Sub', [x, g.reduce('ReduceMax', x, [axis])]);
  const lse = g.node('Log', [g.reduce('ReduceSum', g.node('Exp', [shifted]), [axis])]);
  return g.node('Sub', [shifted, lse]);
}

// tfjs-core's selu constants; selu(x) = scale * elu(x, alpha) exactly (Selu is not on WebGPU).
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

const ACTIVATIONS: Record<string, Emit> = {
  linear: (_g, x) => x,
  relu: (g, x) => g.node('Relu', [x]),
  relu6: (g, x) => g.node('Clip', [x, g.constantFloat([0]), g.constantFloat([6])]),
  elu: (g, x) => g.node('Elu', [x], { alpha: { float: 1 } }),
  selu: (g, x) => g.node('Mul', [g.node('Elu', [x], { alpha: { float: SELU_ALPHA } }), g.constantFloat([SELU_SCALE])]),
  sigmoid: (g, x) => g.node('Sigmoid', [x]),
  hardSigmoid: (g, x) => g.node('HardSigmoid', [x], { alpha: { float: 0.2 }, beta: { float: 0.5 } }),
  tanh: (g, x) => g.node('Tanh', [x]),
  softmax: (g, x) => softmax(g, x),
  logSoftmax: (g, x) => logSoftmax(g, x),
  softplus,
  softsign: (g, x) => g.node('Div', [x, g.node('Add', [g.node('Abs', [x]), g.constantFloat([1])])]),
  swish: (g, x) => g.node('Mul', [g.node('Sigmoid', [x]), x]),
  mish: (g, x) => g.node('Mul', [x, g.node('Tanh', [softplus(g, x)])]),
  // Exact gelu: x * 0.5 * (1 + erf(x / sqrt(2))).
  gelu: (g, x) => {
    const erf = g.node('Erf', [g.node('Div', [x, g.constantFloat([Math.SQRT2])])]);
    const cdf = g.node('Mul', [g.node('Add', [erf, g.constantFloat([1])]), g.constantFloat([0.5])]);
    return g.node('Mul', [x, cdf]);
  },
  // tanh approximation: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))); x^3 as Mul, exact.
  gelu_new: (g, x) => {
    const x3 = g.node('Mul', [g.node('Mul', [x, x]), x]);
    const inner = g.node('Add', [x, g.node('Mul', [x3, g.constantFloat([0.044715])])]);
    const t = g.node('Tanh', [g.node('Mul', [inner, g.constantFloat([Math.sqrt(2 / Math.PI)])])]);
    return g.node('Mul', [g.node('Mul', [x, g.constantFloat([0.5])]), g.node('Add', [t, g.constantFloat([1])])]);
  },
};
// Keras (Python) spelling that tfjs also accepts in serialized configs.
ACTIVATIONS.hard_sigmoid = ACTIVATIONS.hardSigmoid;

/** Activation identifiers the exporter understands. */
export function supportedActivations(): string[] {
  return Object.keys(ACTIVATIONS).sort();
}

/**
 * Emits the nodes of a tfjs activation applied to `x` and returns the output name.
 * @throws OptionError for an identifier tfjs does not define.
 */
export function applyActivation(graph: OnnxGraph, identifier: string | null | undefined, x: string): string {
  const emit = ACTIVATIONS[identifier ?? 'linear'];
  if (!emit) {
    throw new OptionError(`Cannot export activation '${identifier}' to ONNX. Known activations: ${supportedActivations().join(', ')}.`);
  }
  return emit(graph, x);
}

/** The identifier of a layer's activation: tfjs stores an Activation object with a class name. */
export function activationName(activation: unknown): string {
  if (activation == null) return 'linear';
  if (typeof activation === 'string') return activation;
  return (activation as { getClassName(): string }).getClassName();
}

/** Softmax axis as a positive axis of a tensor of rank `rank` (tfjs axes count the batch). */
function resolveAxis(axis: number, rank: number, layer: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new ShapeError(`Layer '${layer}': axis ${axis} is out of range for a rank-${rank} input.`);
  return a;
}

interface ActivationLayerProps {
  activation?: unknown;
  maxValue?: number | null;
  axis?: number | number[];
}

const x0 = (ctx: ConverterContext) => ctx.inputs[0];

converters.set('Activation', (layer, ctx) => ctx.activation(activationName((layer as unknown as ActivationLayerProps).activation), x0(ctx)));

converters.set('ReLU', (layer, ctx) => {
  const { maxValue } = layer as unknown as ActivationLayerProps;
  if (maxValue == null) return ctx.node('Relu', [x0(ctx)]);
  return ctx.node('Clip', [x0(ctx), ctx.constantFloat([0]), ctx.constantFloat([maxValue])]);
});

converters.set('LeakyReLU', (layer, ctx) =>
  ctx.node('LeakyRelu', [x0(ctx)], { alpha: { float: (layer as unknown as { alpha: number }).alpha } }),
);

// tfjs prelu: x < 0 ? alpha * x : x. Where/Less keep it exact and WebGPU-friendly (no PRelu op).
converters.set('PReLU', (layer, ctx) => {
  const x = x0(ctx);
  const alpha = ctx.weight((layer as unknown as { alpha: WeightLike }).alpha);
  const negative = ctx.node('Less', [x, ctx.constantFloat([0])]);
  return ctx.node('Where', [negative, ctx.node('Mul', [x, alpha]), x]);
});

converters.set('ELU', (layer, ctx) =>
  ctx.node('Elu', [x0(ctx)], { alpha: { float: (layer as unknown as { alpha: number }).alpha ?? 1 } }),
);

converters.set('ThresholdedReLU', (layer, ctx) =>
  ctx.node('ThresholdedRelu', [x0(ctx)], { alpha: { float: (layer as unknown as { theta: number }).theta } }),
);

// tfjs's Softmax layer defaults to axis 1 (counting the batch axis); several axes normalize jointly.
converters.set('Softmax', (layer, ctx) => {
  const rank = ctx.inputShapes[0].length;
  const raw = (layer as unknown as ActivationLayerProps).axis ?? 1;
  const axes = (Array.isArray(raw) ? raw : [raw]).map((a) => resolveAxis(a, rank, layer.name));
  const x = x0(ctx);
  if (axes.length === 1) return softmax(ctx.graph, x, axes[0]);
  // exp(x - logsumexp(x, axes)), stabilised by the max over the same axes.
  const shifted = ctx.node('Sub', [x, ctx.graph.reduce('ReduceMax', x, axes)]);
  const e = ctx.node('Exp', [shifted]);
  return ctx.node('Div', [e, ctx.graph.reduce('ReduceSum', e, axes)]);
});
