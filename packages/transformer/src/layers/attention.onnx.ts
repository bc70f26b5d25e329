/** ONNX converter of {@link MultiHeadAttention}: decomposed MatMul/Softmax attention (see emit.ts). */
import type { LayerConverter } from '@neurozoo/core';
import type { MultiHeadAttention } from './attention.js';
import { emitAttention } from './emit.js';

/** This file's converters by tfjs layer class. */
export const converters = new Map<string, LayerConverter>();

converters.set('MultiHeadAttention', (layer, ctx) => {
  const mha = layer as unknown as MultiHeadAttention;
  const [query, value = query, mask = null] = ctx.inputs;
  return emitAttention(ctx.graph, mha.weightsOf, mha.spec, { query, value, mask }).output;
});
