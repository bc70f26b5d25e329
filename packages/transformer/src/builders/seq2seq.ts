/**
 * The encoder-decoder transformer (Vaswani et al. 2017) as one tfjs model: source ids [b, S]
 * (0 = padding) and decoder input ids [b, T] (BOS + target, teacher forcing) -> logits [b, T, V].
 * Encoder: token + position embedding, padding-masked self-attention blocks. Decoder: token +
 * position embedding, blocks with causal self-attention and cross-attention over the encoder
 * output (source padding masked), a final LayerNormalization (pre-LN) and a linear head.
 */
import { OptionError, tf, withSeedSync } from '@neurozoo/core';
import { TransformerDecoderBlock, TransformerEncoderBlock } from '../layers/blocks.js';
import { LayerNorm } from '../layers/norm.js';
import { PaddingMask } from '../layers/masking.js';
import type { FeedForwardActivation } from '../layers/ops.js';
import { TokenAndPositionEmbedding } from '../layers/positional.js';

/** Size and shape of a {@link buildSeq2SeqTransformer} model. */
export interface Seq2SeqTransformerConfig {
  /** Source ids, padding (0) included. */
  sourceVocabSize: number;
  /** Target ids, padding, BOS and EOS included. */
  targetVocabSize: number;
  /** Longest source (rows of the encoder's position table). */
  maxSourceLength: number;
  /** Longest decoder input, BOS included (rows of the decoder's position table and causal mask). */
  maxTargetLength: number;
  /** Model width (default 128). */
  dim?: number;
  /** Attention heads (default 4). */
  heads?: number;
  /** Encoder blocks (default 3). */
  encoderLayers?: number;
  /** Decoder blocks (default 3). */
  decoderLayers?: number;
  /** Feed-forward width (default 4 × dim). */
  ffDim?: number;
  /** Dropout (default 0.1). */
  dropout?: number;
  /** Pre-LN with final LayerNormalizations (default true) or post-LN. */
  normFirst?: boolean;
  activation?: FeedForwardActivation;
  positional?: 'learned' | 'sinusoidal';
  name?: string;
}

/** Layer names of a {@link buildSeq2SeqTransformer} model, which the decode-step export looks up. */
const SEQ2SEQ_LAYERS = {
  sourceEmbedding: 'source_embedding',
  sourceMask: 'source_mask',
  encoder: 'encoder_',
  encoderNorm: 'encoder_norm',
  targetEmbedding: 'target_embedding',
  decoder: 'decoder_',
  decoderNorm: 'decoder_norm',
  logits: 'logits',
} as const;

/** Checks a config; throws a RangeError naming the bad field. */
function checkConfig(c: Seq2SeqTransformerConfig): void {
  const positive = ['sourceVocabSize', 'targetVocabSize', 'maxSourceLength', 'maxTargetLength', 'dim', 'heads', 'encoderLayers', 'decoderLayers', 'ffDim'] as const;
  for (const key of positive) {
    const v = c[key];
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new RangeError(`Seq2SeqTransformerConfig.${key} must be a positive integer, got ${v}`);
  }
  const dim = c.dim ?? 128;
  const heads = c.heads ?? 4;
  if (dim % heads !== 0) throw new RangeError(`Seq2SeqTransformerConfig.dim (${dim}) must be a multiple of heads (${heads})`);
  if (c.dropout !== undefined && !(c.dropout >= 0 && c.dropout < 1)) throw new RangeError(`Seq2SeqTransformerConfig.dropout must be in [0, 1), got ${c.dropout}`);
}

/** Builds the encoder-decoder transformer; `seed` fixes the initial weights. */
export function buildSeq2SeqTransformer(config: Seq2SeqTransformerConfig, seed = 0): tf.LayersModel {
  checkConfig(config);
  const dim = config.dim ?? 128;
  const normFirst = config.normFirst ?? true;
  const block = {
    numHeads: config.heads ?? 4,
    ffDim: config.ffDim ?? 4 * dim,
    dropout: config.dropout ?? 0.1,
    normFirst,
    activation: config.activation ?? 'gelu',
  };
  const positional = config.positional ?? 'learned';
  const L = SEQ2SEQ_LAYERS;
  return withSeedSync(seed, () => {
    const source = tf.input({ shape: [null], name: 'source' });
    const target = tf.input({ shape: [null], name: 'target' });
    const mask = new PaddingMask({ name: L.sourceMask }).apply(source) as tf.SymbolicTensor;
    let memory = new TokenAndPositionEmbedding({
      vocabSize: config.sourceVocabSize, dim, maxLength: config.maxSourceLength, positional, scale: !normFirst, name: L.sourceEmbedding,
    }).apply(source) as tf.SymbolicTensor;
    for (let i = 0; i < (config.encoderLayers ?? 3); i++) {
      memory = new TransformerEncoderBlock({ ...block, maxLength: config.maxSourceLength, name: `${L.encoder}${i}` }).apply([memory, mask]) as tf.SymbolicTensor;
    }
    if (normFirst) memory = new LayerNorm({ name: L.encoderNorm }).apply(memory) as tf.SymbolicTensor;
    let x = new TokenAndPositionEmbedding({
      vocabSize: config.targetVocabSize, dim, maxLength: config.maxTargetLength, positional, scale: !normFirst, name: L.targetEmbedding,
    }).apply(target) as tf.SymbolicTensor;
    for (let i = 0; i < (config.decoderLayers ?? 3); i++) {
      x = new TransformerDecoderBlock({ ...block, maxLength: config.maxTargetLength, name: `${L.decoder}${i}` }).apply([x, memory, mask]) as tf.SymbolicTensor;
    }
    if (normFirst) x = new LayerNorm({ name: L.decoderNorm }).apply(x) as tf.SymbolicTensor;
    const logits = tf.layers.dense({ units: config.targetVocabSize, name: L.logits }).apply(x) as tf.SymbolicTensor;
    return tf.model({ inputs: [source, target], outputs: logits, name: config.name ?? 'seq2seq_transformer' });
  });
}

/** The layers of a {@link buildSeq2SeqTransformer} model, by role. */
export interface Seq2SeqParts {
  sourceEmbedding: TokenAndPositionEmbedding;
  sourceMask: PaddingMask;
  encoder: TransformerEncoderBlock[];
  encoderNorm: tf.layers.Layer | null;
  targetEmbedding: TokenAndPositionEmbedding;
  decoder: TransformerDecoderBlock[];
  decoderNorm: tf.layers.Layer | null;
  logits: tf.layers.Layer;
}

/** Finds the layers of a model built by {@link buildSeq2SeqTransformer} (or reloaded from one); throws an Error naming what is missing. */
export function seq2seqParts(model: tf.LayersModel): Seq2SeqParts {
  const L = SEQ2SEQ_LAYERS;
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const need = <T>(name: string, cls: abstract new (...a: never[]) => T): T => {
    const layer = byName.get(name);
    if (!(layer instanceof cls)) throw new OptionError(`Model '${model.name}' has no ${cls.name} layer named '${name}': build it with buildSeq2SeqTransformer.`);
    return layer;
  };
  const blocks = <T>(prefix: string, cls: abstract new (...a: never[]) => T): T[] => {
    const out: T[] = [];
    for (let i = 0; byName.has(`${prefix}${i}`); i++) out.push(need(`${prefix}${i}`, cls));
    if (out.length === 0) throw new OptionError(`Model '${model.name}' has no ${cls.name} layer named '${prefix}0': build it with buildSeq2SeqTransformer.`);
    return out;
  };
  return {
    sourceEmbedding: need(L.sourceEmbedding, TokenAndPositionEmbedding),
    sourceMask: need(L.sourceMask, PaddingMask),
    encoder: blocks(L.encoder, TransformerEncoderBlock),
    encoderNorm: byName.get(L.encoderNorm) ?? null,
    targetEmbedding: need(L.targetEmbedding, TokenAndPositionEmbedding),
    decoder: blocks(L.decoder, TransformerDecoderBlock),
    decoderNorm: byName.get(L.decoderNorm) ?? null,
    logits: need(L.logits, tf.layers.Layer),
  };
}
