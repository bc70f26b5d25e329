/**
 * The family's inference graphs beyond plain `exportOnnx(model)`, written with OnnxGraph from the
 * tfjs weights (standard opset-17 ops only).
 *
 * GPT decode step ({@link exportDecodeStep}): inputs `ids` [batch, sequence] (the new tokens) and
 * `past_key_i`/`past_value_i` [batch, heads, past, headDim] per block; outputs `logits`
 * [batch, sequence, vocab] and `present_key_i`/`present_value_i` [batch, heads, past + sequence,
 * headDim]. With past = 0 it is the prefill of a prompt; with sequence = 1 each generated token
 * costs O(1) new projections (attention reads the cache, it does not recompute it).
 *
 * Encoder-decoder pair ({@link exportSeq2Seq}):
 * - `encoder.onnx`: `source` [batch, source] ids (0 = padding) -> `memory_mask` [batch, source]
 *   and, per decoder block i, the cross-attention keys and values projected once from the encoder
 *   output: `memory_key_i`, `memory_value_i` [batch, heads, source, headDim].
 * - `decoder-step.onnx`: `ids` [batch, sequence] (the new decoder tokens), `memory_mask`,
 *   `memory_key_i`/`memory_value_i`, and the self-attention cache `past_key_i`/`past_value_i`
 *   [batch, heads, past, headDim] -> `logits` [batch, sequence, vocab] and `present_key_i`/
 *   `present_value_i` [batch, heads, past + sequence, headDim]. Each step projects only the new
 *   token; the encoder is never rerun and cross-attention keys are never reprojected.
 */
import { OnnxGraph, type OnnxGraph as Graph, OptionError, type tf, type WeightLike } from '@neurozoo/core';
import { seq2seqParts } from './builders/seq2seq.js';
import type { AttentionSpec } from './layers/attention.js';
import { TransformerEncoderBlock } from './layers/blocks.js';
import { emitDecoderBlock, emitEncoderBlock } from './layers/blocks.onnx.js';
import { emitDim, emitKeyValue, emitLayerNorm, emitLinear, type KeyValue } from './layers/emit.js';
import { emitPaddingMask } from './layers/masking.onnx.js';
import { TokenAndPositionEmbedding } from './layers/positional.js';
import { emitTokenAndPosition } from './layers/positional.onnx.js';

/** Names of the graphs' values (cache names end with the block index); the runtimes find them by these names. */
const N = {
  source: 'source',
  memoryMask: 'memory_mask',
  memory: { key: 'memory_key_', value: 'memory_value_' },
  ids: 'ids',
  logits: 'logits',
  past: { key: 'past_key_', value: 'past_value_' },
  present: { key: 'present_key_', value: 'present_value_' },
} as const;

/** Inputs `<key><i>`, `<value><i>` of shape [batch, heads, `length`, headDim] for the attention of `spec`. */
function cacheInputs(g: Graph, names: { key: string; value: string }, i: number, spec: AttentionSpec, length: string): KeyValue {
  return {
    key: g.input(`${names.key}${i}`, ['batch', spec.numHeads, length, spec.keyDim]),
    value: g.input(`${names.value}${i}`, ['batch', spec.numHeads, length, spec.valueDim]),
  };
}

/** Renames `kv` to outputs `<key><i>`, `<value><i>` of shape [batch, heads, `length`, headDim]. */
function cacheOutputs(g: Graph, kv: KeyValue, names: { key: string; value: string }, i: number, spec: AttentionSpec, length: string): void {
  g.output(g.renameValue(kv.key, `${names.key}${i}`) as string, ['batch', spec.numHeads, length, spec.keyDim]);
  g.output(g.renameValue(kv.value, `${names.value}${i}`) as string, ['batch', spec.numHeads, length, spec.valueDim]);
}

interface ChainParts {
  embedding: TokenAndPositionEmbedding;
  blocks: TransformerEncoderBlock[];
  head: tf.layers.Layer[];
}

/** The model's layers as embedding -> causal blocks -> (LayerNormalization) -> Dense, or a clear error. */
function chainOf(model: tf.LayersModel): ChainParts {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer' && l.getClassName() !== 'Dropout');
  const [embedding, ...rest] = layers;
  if (!(embedding instanceof TokenAndPositionEmbedding)) throw new OptionError(`Decode step: '${model.name}' must start with a TokenAndPositionEmbedding.`);
  const blocks = rest.filter((l): l is TransformerEncoderBlock => l instanceof TransformerEncoderBlock);
  const head = rest.slice(blocks.length);
  const headOk = head.every((l) => ['LayerNormalization', 'TransformerLayerNorm', 'Dense'].includes(l.getClassName()));
  if (blocks.length === 0 || !headOk || rest.slice(0, blocks.length).some((l) => !(l instanceof TransformerEncoderBlock))) {
    throw new OptionError(`Decode step: '${model.name}' must be embedding -> TransformerEncoderBlock x N -> LayerNormalization/Dense (got ${layers.map((l) => l.getClassName()).join(', ')}).`);
  }
  if (blocks.some((b) => !b.spec.causal)) throw new OptionError('Decode step: every block must be causal.');
  return { embedding, blocks, head };
}

/** Emits a LayerNormalization (tfjs' or this package's LayerNorm) or a (linear) Dense layer of a model's head on `x`. */
function emitHeadLayer(g: Graph, layer: tf.layers.Layer, x: string): string {
  const w = layer as unknown as { gamma: WeightLike; beta: WeightLike; epsilon: number; kernel: WeightLike; bias: WeightLike | null; useBias: boolean };
  if (layer.getClassName() === 'LayerNormalization' || layer.getClassName() === 'TransformerLayerNorm') return emitLayerNorm(g, x, w.gamma, w.beta, w.epsilon);
  return emitLinear(g, x, w.kernel, w.useBias ? w.bias : null);
}

/**
 * Writes the decode-step ONNX graph (see the module comment) of a model from {@link buildGpt}
 * (or any model of the same chain). Returns ModelProto bytes (opset 17, IR 8).
 */
export function exportDecodeStep(model: tf.LayersModel, options: { metadata?: Record<string, string> } = {}): Uint8Array {
  const { embedding, blocks, head } = chainOf(model);
  const g = new OnnxGraph(17, `${model.name}_decode_step`);
  const ids = g.input(N.ids, ['batch', 'sequence']);
  const pasts = blocks.map((b, i) => cacheInputs(g, N.past, i, b.spec, 'past'));
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
  const logits = g.renameValue(x, N.logits) as string;
  g.output(logits, ['batch', 'sequence', head.length ? ((head[head.length - 1].outputShape as number[])[2] ?? vocab) : vocab]);
  presents.forEach((kv, i) => cacheOutputs(g, kv, N.present, i, blocks[i].spec, 'total'));
  g.prune();
  return g.toBytes({ metadata: options.metadata });
}

/** The exported graphs as ModelProto bytes. */
export interface Seq2SeqOnnx {
  encoder: Uint8Array;
  decoderStep: Uint8Array;
}

/** Writes `encoder.onnx` (see the module comment). */
function exportSeq2SeqEncoder(model: tf.LayersModel, options: { metadata?: Record<string, string> } = {}): Uint8Array {
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
    cacheOutputs(g, emitKeyValue(g, block.crossAttention, block.crossSpec, memory), N.memory, i, block.crossSpec, 'source');
  });
  g.prune();
  return g.toBytes({ metadata: options.metadata });
}

/** Writes `decoder-step.onnx` (see the module comment). */
function exportSeq2SeqDecoderStep(model: tf.LayersModel, options: { metadata?: Record<string, string> } = {}): Uint8Array {
  const p = seq2seqParts(model);
  const g = new OnnxGraph(17, `${model.name}_decoder_step`);
  const ids = g.input(N.ids, ['batch', 'sequence']);
  const memoryMask = g.input(N.memoryMask, ['batch', 'source']);
  const cross = p.decoder.map((b, i) => cacheInputs(g, N.memory, i, b.crossSpec, 'source'));
  const pasts = p.decoder.map((b, i) => cacheInputs(g, N.past, i, b.spec, 'past'));
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
  presents.forEach((kv, i) => cacheOutputs(g, kv, N.present, i, p.decoder[i].spec, 'total'));
  g.prune();
  return g.toBytes({ metadata: options.metadata });
}

/** Both inference graphs of a {@link buildSeq2SeqTransformer} model; each names itself in `neurozoo.part` ('encoder', 'decoder-step'). */
export function exportSeq2Seq(model: tf.LayersModel, options: { metadata?: Record<string, string> } = {}): Seq2SeqOnnx {
  const part = (name: string) => ({ metadata: { ...options.metadata, 'neurozoo.part': name } });
  return { encoder: exportSeq2SeqEncoder(model, part('encoder')), decoderStep: exportSeq2SeqDecoderStep(model, part('decoder-step')) };
}
