/**
 * Dense: y = activation(x · kernel + bias). MatMul broadcasts over leading axes, so inputs of
 * rank > 2 ([batch, time, features]) need no reshape.
 */
import type { LayerConverter, WeightLike } from '../registry.js';
import { activationName } from './activations.js';

/** This file's converters by tfjs layer class; the registry adds them on first use. */
export const converters = new Map<string, LayerConverter>();

interface DenseProps {
  kernel: WeightLike;
  bias?: WeightLike | null;
  useBias: boolean;
  activation?: unknown;
}

converters.set('Dense', (layer, ctx) => {
  const dense = layer as unknown as DenseProps;
  let y = ctx.node('MatMul', [ctx.inputs[0], ctx.weight(dense.kernel)]);
  if (dense.useBias && dense.bias) y = ctx.node('Add', [y, ctx.weight(dense.bias)]);
  return ctx.activation(activationName(dense.activation), y);
});
