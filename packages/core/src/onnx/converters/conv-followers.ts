/**
 * Layers that follow convolutions and can stay channel-first: BatchNormalization over the
 * channel axis (folded into one Mul and one Add with [C, 1, 1] parameters), element-wise
 * activation layers, and element-wise merges / channel concatenation of feature maps. Each
 * wraps the plain converter of its class: when its input has an NCHW twin (it comes from a
 * conv-family layer) it works on the twin; otherwise the plain converter runs unchanged on the
 * NHWC value.
 */
import type { ConverterContext, LayerConverter } from '../registry.js';
import { activationName } from './activations.js';
import { fromNchw, isAxisActivation, nchwTwin, toNchw, withInputs } from './layout.js';
import { type BatchNormParams, foldBatchNorm } from './normalization.js';

interface BatchNormProps extends BatchNormParams {
  id: number;
  name: string;
  axis: number;
}

const foldedBn = new WeakMap<object, Map<number, [string, string]>>();

/** (x - mean) / sqrt(var + eps) * gamma + beta = x * s + t on an NCHW value (foldBatchNorm, [C, 1, 1] parameters). */
function batchNormNchw(ctx: ConverterContext, bn: BatchNormProps, x: string): string {
  let byLayer = foldedBn.get(ctx.graph);
  if (!byLayer) foldedBn.set(ctx.graph, (byLayer = new Map()));
  let params = byLayer.get(bn.id);
  if (!params) {
    const { scale: s, shift: t } = foldBatchNorm(bn);
    const c = s.length;
    params = [ctx.graph.initializer(s, [c, 1, 1], `${bn.name}/folded_scale`), ctx.graph.initializer(t, [c, 1, 1], `${bn.name}/folded_shift`)];
    byLayer.set(bn.id, params);
  }
  return ctx.node('Add', [ctx.node('Mul', [x, params[0]]), params[1]]);
}

/**
 * Channel-first wrappers of the plain converters in `plain` (BatchNormalization, element-wise
 * activation layers, merges), which must hold every class wrapped here.
 */
export function convFollowers(plain: ReadonlyMap<string, LayerConverter>): Map<string, LayerConverter> {
  const map = new Map<string, LayerConverter>();
  const base = (name: string): LayerConverter => {
    const converter = plain.get(name);
    // Not a user error: core's own tables lack a class, which fails at module load.
    if (!converter) throw new Error(`No plain converter for ${name} to wrap.`);
    return converter;
  };

  const plainBatchNorm = base('BatchNormalization');
  map.set('BatchNormalization', (layer, ctx) => {
    const bn = layer as unknown as BatchNormProps;
    const rank = ctx.inputShapes[0].length;
    const channelAxis = rank === 4 && (bn.axis === -1 || bn.axis === 3);
    const twin = nchwTwin(ctx, ctx.inputs[0]);
    if (!channelAxis || !twin) return plainBatchNorm(layer, ctx);
    return fromNchw(ctx, batchNormNchw(ctx, bn, twin));
  });

  // Element-wise activation layers (Softmax acts on an axis: left to the plain converter).
  for (const name of ['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU']) {
    const plainConverter = base(name);
    map.set(name, (layer, ctx) => {
      const twin = nchwTwin(ctx, ctx.inputs[0]);
      const act = activationName((layer as unknown as { activation?: unknown }).activation);
      if (!twin || ctx.inputShapes[0].length !== 4 || (name === 'Activation' && isAxisActivation(act))) return plainConverter(layer, ctx);
      return fromNchw(ctx, plainConverter(layer, withInputs(ctx, [twin])) as string);
    });
  }

  // Merges of equal-shaped feature maps (residual connections, branches).
  const sameMaps = (ctx: ConverterContext) =>
    ctx.inputShapes.every((s) => s.length === 4 && JSON.stringify(s) === JSON.stringify(ctx.inputShapes[0])) &&
    ctx.inputs.some((v) => nchwTwin(ctx, v));
  for (const name of ['Add', 'Multiply', 'Average', 'Maximum', 'Minimum']) {
    const plainConverter = base(name);
    map.set(name, (layer, ctx) => {
      if (!sameMaps(ctx)) return plainConverter(layer, ctx);
      return fromNchw(ctx, plainConverter(layer, withInputs(ctx, ctx.inputs.map((v) => toNchw(ctx, v)))) as string);
    });
  }
  const plainConcat = base('Concatenate');
  map.set('Concatenate', (layer, ctx) => {
    const axis = (layer as unknown as { axis?: number }).axis ?? -1;
    const maps = ctx.inputShapes.every((s) => s.length === 4) && ctx.inputs.some((v) => nchwTwin(ctx, v));
    if (!maps || (axis !== -1 && axis !== 3 && axis >= 0)) return plainConcat(layer, ctx);
    // tfjs treats every negative axis as the last one: channels, axis 1 in NCHW.
    return fromNchw(ctx, ctx.node('Concat', ctx.inputs.map((v) => toNchw(ctx, v)), { axis: 1 }));
  });
  return map;
}
