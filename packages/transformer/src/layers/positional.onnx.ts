/**
 * ONNX converters of the positional layers: Gather for tokens, and rows [offset, offset + T) of
 * the position table by Slice (offset 0 in full-sequence graphs, the cache length when decoding).
 */
import type { LayerConverter, OnnxGraph } from '@neurozoo/core';
import { tf } from '@neurozoo/core';
import { emitDim, emitRows } from './emit.js';
import type { PositionEmbedding, SinusoidalPositionEncoding, TokenAndPositionEmbedding } from './positional.js';

/** This file's converters by tfjs layer class. */
export const converters = new Map<string, LayerConverter>();

/** table rows for the T positions of `x` (axis 1) starting at `offset` (int64 [1]; default 0). */
function positionRows(g: OnnxGraph, table: string, x: string, offset: string | null): string {
  return emitRows(g, table, offset, emitDim(g, x, 1));
}

/** Emits TokenAndPositionEmbedding for ids [b, T] (any numeric dtype) at position `offset`. */
export function emitTokenAndPosition(g: OnnxGraph, layer: TokenAndPositionEmbedding, ids: string, offset: string | null): string {
  const index = g.node('Cast', [ids], { to: 7 /* INT64 */ });
  let x = g.node('Gather', [g.initializer(layer.tokens), index], { axis: 0 });
  if (layer.args.scale) x = g.node('Mul', [x, g.constantFloat([Math.sqrt(layer.args.dim)])]);
  const table = layer.positionTable();
  const name = table instanceof tf.Tensor ? g.initializer(table, undefined, `${layer.name}/sinusoid`) : g.initializer(table);
  return g.node('Add', [x, positionRows(g, name, ids, offset)]);
}

converters.set('TokenAndPositionEmbedding', (layer, ctx) =>
  emitTokenAndPosition(ctx.graph, layer as unknown as TokenAndPositionEmbedding, ctx.inputs[0], null),
);

converters.set('PositionEmbedding', (layer, ctx) => {
  const g = ctx.graph;
  const table = g.initializer((layer as unknown as PositionEmbedding).positions);
  return g.node('Add', [ctx.inputs[0], positionRows(g, table, ctx.inputs[0], null)]);
});

converters.set('SinusoidalPositionEncoding', (layer, ctx) => {
  const g = ctx.graph;
  const dim = ctx.inputShapes[0][2] as number;
  const table = g.initializer((layer as unknown as SinusoidalPositionEncoding).tableFor(dim), undefined, `${layer.name}/sinusoid`);
  return g.node('Add', [ctx.inputs[0], positionRows(g, table, ctx.inputs[0], null)]);
});
