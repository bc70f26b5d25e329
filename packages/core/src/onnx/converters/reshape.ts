/**
 * Shape layers: Flatten, Reshape, Permute, RepeatVector. Reshape targets start with 0 ("copy
 * this dimension", allowzero = 0) so the batch size stays symbolic.
 */
import type { LayerConverter } from '../registry.js';

/** This file's converters by tfjs layer class; the registry adds them on first use. */
export const converters = new Map<string, LayerConverter>();

converters.set('Flatten', (layer, ctx) => {
  let x = ctx.inputs[0];
  const rank = ctx.inputShapes[0].length;
  // channelsFirst: tfjs moves the channel axis last before flattening; do the same.
  if ((layer as unknown as { dataFormat?: string }).dataFormat === 'channelsFirst' && rank > 2) {
    const perm = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
    x = ctx.node('Transpose', [x], { perm });
  }
  // Row-major Reshape of NHWC matches tfjs's batchFlatten.
  return ctx.node('Reshape', [x, ctx.constantInt64([0, -1])]);
});

converters.set('Reshape', (layer, ctx) => {
  const resolved = ctx.outputShapes[0].slice(1);
  const target = resolved.every((d) => d != null)
    ? (resolved as number[])
    : (layer as unknown as { targetShape: Array<number | null> }).targetShape.map((d) => d ?? -1);
  return ctx.node('Reshape', [ctx.inputs[0], ctx.constantInt64([0, ...target])]);
});

// tfjs dims are 1-based and exclude the batch axis.
converters.set('Permute', (layer, ctx) =>
  ctx.node('Transpose', [ctx.inputs[0]], { perm: [0, ...(layer as unknown as { dims: number[] }).dims] }),
);

// [batch, features] -> [batch, n, features].
converters.set('RepeatVector', (layer, ctx) => {
  const n = (layer as unknown as { n: number }).n;
  const expanded = ctx.node('Unsqueeze', [ctx.inputs[0], ctx.constantInt64([1])]);
  return ctx.node('Tile', [expanded, ctx.constantInt64([1, n, 1])]);
});
