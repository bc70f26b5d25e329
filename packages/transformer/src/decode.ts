/**
 * The decode-step graph of a GPT-style model, written with OnnxGraph from the same tfjs weights:
 * inputs `ids` [batch, sequence] (the new tokens) and `past_key_i`/`past_value_i`
 * [batch, heads, past, headDim] per block; outputs `logits` [batch, sequence, vocab] and
 * `present_key_i`/`present_value_i` [batch, heads, past + sequence, headDim]. With past = 0 it is
 * the prefill of a prompt; with sequence = 1 each generated token costs O(1) new projections
 * (attention reads the cache, it does not recompute it).
 */
import { type OnnxGraph as Graph, OnnxGraph, type tf, type WeightLike } from '@neurozoo/core';
import { TransformerEncoderBlock } from './layers/blocks.js';
import { emitEncoderBlock } from './layers/blocks.onnx.js';
import { emitDim, emitLayerNorm, emitLinear, type KeyValue } from './layers/emit.js';
import { TokenAndPositionEmbedding } from './layers/positional.js';
import { emitTokenAndPosition } from './layers/positional.onnx.js';

/** Names of the decode-step graph's values; the runtime finds the caches by these prefixes. */
export const DECODE_NAMES = { ids: 'ids', logits: 'logits', pastKey: 'past_key_', pastValue: 'past_value_', presentKey: 'present_key_', presentValue: 'present_value_' } as const;

interface ChainParts {
  embedding: TokenAndPositionEmbedding;
  blocks: TransformerEncoderBlock[];
  head: tf.layers.Layer[];
}

/** The model's layers as embedding -> causal blocks -> (LayerNormalization) -> Dense, or a clear error. */
function chainOf(model: tf.LayersModel): ChainParts {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer' && l.getClassName() !== 'Dropout');
  const [embedding, ...rest] = layers;
  if (!(embedding instanceof TokenAndPositionEmbedding)) throw new Error(`Decode step: '${model.name}' must start with a TokenAndPositionEmbedding.`);
  const blocks = rest.filter((l): l is TransformerEncoderBlock => l instanceof TransformerEncoderBlock);
  const head = rest.slice(blocks.length);
  const headOk = head.every((l) => ['LayerNormalization', 'TransformerLayerNorm', 'Dense'].includes(l.getClassName()));
  if (blocks.length === 0 || !headOk || rest.slice(0, blocks.length).some((l) => !(l instanceof TransformerEncoderBlock))) {
    throw new Error(`Decode step: '${model.name}' must be embedding -> TransformerEncoderBlock x N -> LayerNormalization/Dense (got ${layers.map((l) => l.getClassName()).join(', ')}).`);
  }
  if (blocks.some((b) => !b.spec.causal)) throw new Error('Decode step: every block must be causal.');
  return { embedding, blocks, head };
}

/** Emits a LayerNormalization (tfjs' or this package's LayerNorm) or a (linear) Dense layer of a model's head on `x`. */
export function emitHeadLayer(g: Graph, layer: tf.layers.Layer, x: string): string {
  const w = layer as unknown as { gamma: WeightLike; beta: WeightLike; epsilon: number; kernel: WeightLike; bias: WeightLike | null; useBias: boolean };
  if (layer.getClassName() === 'LayerNormalization' || layer.getClassName() === 'TransformerLayerNorm') return emitLayerNorm(g, x, w.gamma, w.beta, w.epsilon);
  return emitLinear(g, x, w.kernel, w.useBias ? w.bias : null);
}

/** Shape of a cache tensor of `block`: heads and head size (batch and length are symbolic). */
export function cacheDims(block: TransformerEncoderBlock): [number, number] {
  return [block.spec.numHeads, block.spec.keyDim];
}

/**
 * Writes the decode-step ONNX graph (see the module comment) of a model from {@link buildGpt}
 * (or any model of the same chain). Returns ModelProto bytes (opset 17, IR 8).
 */
export function exportDecodeStep(model: tf.LayersModel, options: { metadata?: Record<string, string> } = {}): Uint8Array {
  const { embedding, blocks, head } = chainOf(model);
  const g = new OnnxGraph(17, `${model.name}_decode_step`);
  const ids = g.input(DECODE_NAMES.ids, ['batch', 'sequence']);
  const pasts: KeyValue[] = blocks.map((b, i) => {
    const [h, d] = cacheDims(b);
    return { key: g.input(`${DECODE_NAMES.pastKey}${i}`, ['batch', h, 'past', d]), value: g.input(`${DECODE_NAMES.pastValue}${i}`, ['batch', h, 'past', b.spec.valueDim]) };
  });
  g.scope = embedding.name;
  let x = emitTokenAndPosition(g, embedding, ids, emitDim(g, pasts[0].key, 2));
  const presents: KeyValue[] = [];
  blocks.forEach((block, i) => {
    g.scope = block.name;
    const r = emitEncoderBlock(g, block, x, null, pasts[i]);
    x = r.output;
    presents.push({ key: r.key, value: r.value });
  });
  for (const layer of head) {
    g.scope = layer.name;
    x = emitHeadLayer(g, layer, x);
  }
  const vocab = embedding.args.vocabSize;
  const logits = g.renameValue(x, DECODE_NAMES.logits) as string;
  g.output(logits, ['batch', 'sequence', head.length ? ((head[head.length - 1].outputShape as number[])[2] ?? vocab) : vocab]);
  presents.forEach((p, i) => {
    const [h, d] = cacheDims(blocks[i]);
    g.output(g.renameValue(p.key, `${DECODE_NAMES.presentKey}${i}`) as string, ['batch', h, 'total', d]);
    g.output(g.renameValue(p.value, `${DECODE_NAMES.presentValue}${i}`) as string, ['batch', h, 'total', blocks[i].spec.valueDim]);
  });
  g.prune();
  return g.toBytes({ metadata: options.metadata });
}
