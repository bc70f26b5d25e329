/** ONNX converter of {@link LayerNorm}: one LayerNormalization-17 node. */
import type { LayerConverter } from '@neurozoo/core';
import { emitLayerNorm } from './emit.js';
import type { LayerNorm } from './norm.js';

/** This file's converters by tfjs layer class. */
export const converters = new Map<string, LayerConverter>();

converters.set('TransformerLayerNorm', (layer, ctx) => {
  const norm = layer as unknown as LayerNorm;
  return emitLayerNorm(ctx.graph, ctx.inputs[0], norm.gamma, norm.beta, norm.epsilon);
});
