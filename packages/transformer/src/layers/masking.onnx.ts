/** ONNX converters of PaddingMask and MaskedAveragePooling (Equal/Not/Cast, ReduceSum/Div). */
import type { LayerConverter } from '@neurozoo/core';
import type { PaddingMask } from './masking.js';

/** This file's converters by tfjs layer class. */
export const converters = new Map<string, LayerConverter>();

converters.set('PaddingMask', (layer, ctx) => {
  const g = ctx.graph;
  const ids = g.node('Cast', [ctx.inputs[0]], { to: 1 /* FLOAT */ });
  const pad = g.node('Equal', [ids, g.constantFloat([(layer as unknown as PaddingMask).padId])]);
  return g.node('Cast', [g.node('Not', [pad])], { to: 1 });
});

converters.set('MaskedAveragePooling', (_layer, ctx) => {
  const g = ctx.graph;
  const [x, mask] = ctx.inputs;
  if (!mask) return g.reduce('ReduceMean', x, [1], false);
  const m = g.node('Unsqueeze', [mask, g.constantInt64([-1])]);
  const total = g.reduce('ReduceSum', g.node('Mul', [x, m]), [1], false);
  const count = g.node('Add', [g.reduce('ReduceSum', m, [1], false), g.constantFloat([1e-9])]);
  return g.node('Div', [total, count]);
});
