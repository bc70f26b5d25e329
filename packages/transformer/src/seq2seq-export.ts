/**
 * The two inference graphs of an encoder-decoder transformer, written with OnnxGraph from the
 * tfjs weights (standard opset-17 ops only):
 *
 * - `encoder.onnx`: `source` [batch, source] ids (0 = padding) -> `memory_mask` [batch, source]
 *   and, per decoder block i, the cross-attention keys and values projected once from the encoder
 *   output: `memory_key_i`, `memory_value_i` [batch, heads, source, headDim].
 * - `decoder-step.onnx`: `ids` [batch, sequence] (the new decoder tokens), `memory_mask`,
 *   `memory_key_i`/`memory_value_i`, and the self-attention cache `past_key_i`/`past_value_i`
 *   [batch, heads, past, headDim] -> `logits` [batch, sequence, vocab] and `present_key_i`/
 *   `present_value_i` [batch, heads, past + sequence, headDim]. Each step projects only the new
 *   token; the encoder is never rerun and cross-attention keys are never reprojected.
 */
import { OnnxGraph } from '@neurozoo/core';
import type { tf } from '@neurozoo/core';
import { emitHeadLayer } from './decode.js';
import type { TransformerDecoderBlock } from './layers/blocks.js';
import { emitDecoderBlock, emitEncoderBlock } from './layers/blocks.onnx.js';
import { emitDim, emitKeyValue, type KeyValue } from './layers/emit.js';
import { emitPaddingMask } from './layers/masking.onnx.js';
import { emitTokenAndPosition } from './layers/positional.onnx.js';
import { seq2seqParts } from './seq2seq.js';

/** Names of the graphs' inputs and outputs (cache names end with the block index). */
export const SEQ2SEQ_NAMES = {
  source: 'source',
  memoryMask: 'memory_mask',
  memoryKey: 'memory_key_',
  memoryValue: 'memory_value_',
  ids: 'ids',
  logits: 'logits',
  pastKey: 'past_key_',
  pastValue: 'past_value_',
  presentKey: 'present_key_',
  presentValue: 'present_value_',
} as const;

/** The exported graphs as ModelProto bytes. */
export interface Seq2SeqOnnx {
  encoder: Uint8Array;
  decoderStep: Uint8Array;
}

const N = SEQ2SEQ_NAMES;
const cacheDims = (b: TransformerDecoderBlock, cross: boolean): [number, number] => {
  const s = cross ? b.crossSpec : b.spec;
  return [s.numHeads, s.keyDim];
};

/** Writes `encoder.onnx` (see the module comment). */
export function exportSeq2SeqEncoder(model: tf.LayersModel, options: { metadata?: Record<string, string> } = {}): Uint8Array {
  const p = seq2seqParts(model);
  const g = new OnnxGraph(17, `${model.name}_encoder`);
  const source = g.input(N.source, ['batch', 'source']);
  g.scope = p.sourceMask.name;
  const mask = emitPaddingMask(g, source, p.sourceMask.padId);
  g.scope = p.sourceEmbedding.name;
  let memory = emitTokenAndPosition(g, p.sourceEmbedding, source, null);
  for (const block of p.encoder) {
    g.scope = block.name;
    memory = emitEncoderBlock(g, block, memory, mask, null).output;
  }
  if (p.encoderNorm) {
    g.scope = p.encoderNorm.name;
    memory = emitHeadLayer(g, p.encoderNorm, memory);
  }
  g.output(g.renameValue(mask, N.memoryMask) as string, ['batch', 'source']);
  p.decoder.forEach((block, i) => {
    g.scope = block.name;
    const kv = emitKeyValue(g, block.crossAttention, block.crossSpec, memory);
    const [h, d] = cacheDims(block, true);
    g.output(g.renameValue(kv.key, `${N.memoryKey}${i}`) as string, ['batch', h, 'source', d]);
    g.output(g.renameValue(kv.value, `${N.memoryValue}${i}`) as string, ['batch', h, 'source', block.crossSpec.valueDim]);
  });
  g.prune();
  return g.toBytes({ metadata: options.metadata });
}

/** Writes `decoder-step.onnx` (see the module comment). */
export function exportSeq2SeqDecoderStep(model: tf.LayersModel, options: { metadata?: Record<string, string> } = {}): Uint8Array {
  const p = seq2seqParts(model);
  const g = new OnnxGraph(17, `${model.name}_decoder_step`);
  const ids = g.input(N.ids, ['batch', 'sequence']);
  const memoryMask = g.input(N.memoryMask, ['batch', 'source']);
  const cross: KeyValue[] = p.decoder.map((b, i) => {
    const [h, d] = cacheDims(b, true);
    return { key: g.input(`${N.memoryKey}${i}`, ['batch', h, 'source', d]), value: g.input(`${N.memoryValue}${i}`, ['batch', h, 'source', b.crossSpec.valueDim]) };
  });
  const pasts: KeyValue[] = p.decoder.map((b, i) => {
    const [h, d] = cacheDims(b, false);
    return { key: g.input(`${N.pastKey}${i}`, ['batch', h, 'past', d]), value: g.input(`${N.pastValue}${i}`, ['batch', h, 'past', b.spec.valueDim]) };
  });
  g.scope = p.targetEmbedding.name;
  let x = emitTokenAndPosition(g, p.targetEmbedding, ids, emitDim(g, pasts[0].key, 2));
  const presents: KeyValue[] = [];
  p.decoder.forEach((block, i) => {
    g.scope = block.name;
    const r = emitDecoderBlock(g, block, x, '', memoryMask, pasts[i], cross[i]);
    x = r.output;
    presents.push(r.present);
  });
  for (const layer of [p.decoderNorm, p.logits]) {
    if (!layer) continue;
    g.scope = layer.name;
    x = emitHeadLayer(g, layer, x);
  }
  g.output(g.renameValue(x, N.logits) as string, ['batch', 'sequence', p.targetEmbedding.args.vocabSize]);
  presents.forEach((kv, i) => {
    const [h, d] = cacheDims(p.decoder[i], false);
    g.output(g.renameValue(kv.key, `${N.presentKey}${i}`) as string, ['batch', h, 'total', d]);
    g.output(g.renameValue(kv.value, `${N.presentValue}${i}`) as string, ['batch', h, 'total', p.decoder[i].spec.valueDim]);
  });
  g.prune();
  return g.toBytes({ metadata: options.metadata });
}

/** Both inference graphs of a {@link buildSeq2SeqTransformer} model. */
export function exportSeq2Seq(model: tf.LayersModel, options: { metadata?: Record<string, string> } = {}): Seq2SeqOnnx {
  return { encoder: exportSeq2SeqEncoder(model, options), decoderStep: exportSeq2SeqDecoderStep(model, options) };
}
