/** ONNX converters of PaddingMask, MaskedAveragePooling and MaskedMaxPooling (Equal/Not/Cast, ReduceSum/Div, ReduceMax). */
import type { LayerConverter, OnnxGraph } from '@neurozoo/core';
import type { PaddingMask } from './masking.js';
import { MASK_VALUE } from './ops.js';

/** This file's converters by tfjs layer class. */
export const converters = new Map<string, LayerConverter>();

/** ids [b, T] (any numeric dtype) -> float mask [b, T]: 1 where id != padId, else 0. */
export function emitPaddingMask(g: OnnxGraph, ids: string, padId: number): string {
  const pad = g.node('Equal', [g.node('Cast', [ids], { to: 1 /* FLOAT */ }), g.constantFloat([padId])]);
  return g.node('Cast', [g.node('Not', [pad])], { to: 1 });
}

converters.set('PaddingMask', (layer, ctx) => emitPaddingMask(ctx.graph, ctx.inputs[0], (layer as unknown as PaddingMask).padId));

converters.set('MaskedAveragePooling', (_layer, ctx) => {
  const g = ctx.graph;
  const [x, mask] = ctx.inputs;
  if (!mask) return g.reduce('ReduceMean', x, [1], false);
  const m = g.node('Unsqueeze', [mask, g.constantInt64([-1])]);
  const total = g.reduce('ReduceSum', g.node('Mul', [x, m]), [1], false);
  const count = g.node('Add', [g.reduce('ReduceSum', m, [1], false), g.constantFloat([1e-9])]);
  return g.node('Div', [total, count]);
});

converters.set('MaskedMaxPooling', (_layer, ctx) => {
  const g = ctx.graph;
  const [x, mask] = ctx.inputs;
  if (!mask) return g.reduce('ReduceMax', x, [1], false);
  const bias = g.node('Mul', [g.node('Sub', [g.constantFloat([1]), mask]), g.constantFloat([MASK_VALUE])]);
  return g.reduce('ReduceMax', g.node('Add', [x, g.node('Unsqueeze', [bias, g.constantInt64([-1])])]), [1], false);
});
