/**
 * Embedding: Gather rows of the embedding matrix. tfjs models take token ids as float32 (the
 * default dtype of `tf.input`) and cast them to int32 inside the layer, so the exported graph
 * keeps the input's tfjs dtype (float32 unless the model declared int32) and casts to int64
 * before Gather. This lets the same feeds drive tfjs and onnxruntime. `maskZero` only affects
 * masks, which ONNX graphs do not carry, so the values are unchanged.
 */
import type { LayerConverter, WeightLike } from '../registry.js';

/** This file's converters by tfjs layer class; the registry adds them on first use. */
export const converters = new Map<string, LayerConverter>();

converters.set('Embedding', (layer, ctx) => {
  const ids = ctx.node('Cast', [ctx.inputs[0]], { to: 7 /* INT64 */ });
  return ctx.node('Gather', [ctx.weight((layer as unknown as { embeddings: WeightLike }).embeddings), ids], { axis: 0 });
});
