/**
 * The encoder-only sequence classifier: token ids [b, T] (0 = padding, masked everywhere) or
 * feature vectors [b, T, F] (e.g. the 28 rows of an MNIST image as 28 tokens of 28 features),
 * embedded with positions, bidirectional transformer blocks, a final LayerNormalization (pre-LN),
 * masked mean or max pooling over the sequence, and a softmax over the classes.
 */
import { tf, withSeedSync } from '@neurozoo/core';
import { TransformerEncoderBlock } from '../layers/blocks.js';
import { MaskedAveragePooling, MaskedMaxPooling, PaddingMask } from '../layers/masking.js';
import { LayerNorm } from '../layers/norm.js';
import type { FeedForwardActivation } from '../layers/ops.js';
import { PositionEmbedding, SinusoidalPositionEncoding, TokenAndPositionEmbedding } from '../layers/positional.js';

/** Size and shape of a {@link buildEncoderClassifier} model: give `vocabSize` (token ids) or `features` (vectors), not both. */
export interface EncoderClassifierConfig {
  /** Token ids in [0, vocabSize), 0 = padding. */
  vocabSize?: number;
  /** Features per position (float input [b, T, features]). */
  features?: number;
  /** Longest sequence (rows of the position table). */
  contextLength: number;
  classes: number;
  /** Model width (default 64). */
  dim?: number;
  /** Attention heads (default 4). */
  heads?: number;
  /** Blocks (default 2). */
  layers?: number;
  /** Feed-forward width (default 4 × dim). */
  ffDim?: number;
  /** Dropout (default 0.1). */
  dropout?: number;
  /** Pooling over positions: 'mean' (default) or 'max', both skipping padding. */
  pooling?: 'mean' | 'max';
  /** Pre-LN with a final LayerNormalization (default true) or post-LN. */
  normFirst?: boolean;
  activation?: FeedForwardActivation;
  positional?: 'learned' | 'sinusoidal';
  name?: string;
}

function checkConfig(c: EncoderClassifierConfig): void {
  if ((c.vocabSize === undefined) === (c.features === undefined)) {
    throw new RangeError(`EncoderClassifierConfig needs exactly one of vocabSize (token ids) and features (vectors), got ${c.vocabSize === undefined ? 'neither' : 'both'}`);
  }
  for (const key of ['vocabSize', 'features', 'contextLength', 'classes', 'dim', 'heads', 'layers', 'ffDim'] as const) {
    const v = c[key];
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new RangeError(`EncoderClassifierConfig.${key} must be a positive integer, got ${v}`);
  }
  if (c.classes < 2) throw new RangeError(`EncoderClassifierConfig.classes must be at least 2, got ${c.classes}`);
  const dim = c.dim ?? 64;
  const heads = c.heads ?? 4;
  if (dim % heads !== 0) throw new RangeError(`EncoderClassifierConfig.dim (${dim}) must be a multiple of heads (${heads})`);
  if (c.pooling !== undefined && c.pooling !== 'mean' && c.pooling !== 'max') throw new RangeError(`EncoderClassifierConfig.pooling must be 'mean' or 'max', got '${c.pooling}'`);
}

/**
 * Builds the classifier (inputs `ids` [b, T] or `features` [b, T, F] -> class probabilities
 * [b, classes]); `seed` fixes the initial weights. Compile it with a categorical cross-entropy and
 * train with core's `fit`; it exports with `exportOnnx` like any model.
 *
 * @example
 * const model = buildEncoderClassifier({ features: 28, contextLength: 28, classes: 10, dim: 32, heads: 2, layers: 2 });
 */
export function buildEncoderClassifier(config: EncoderClassifierConfig, seed = 0): tf.LayersModel {
  checkConfig(config);
  const dim = config.dim ?? 64;
  const normFirst = config.normFirst ?? true;
  const positional = config.positional ?? 'learned';
  return withSeedSync(seed, () => {
    const tokens = config.vocabSize !== undefined;
    const input = tokens ? tf.input({ shape: [null], name: 'ids' }) : tf.input({ shape: [null, config.features as number], name: 'features' });
    let x: tf.SymbolicTensor;
    let mask: tf.SymbolicTensor | null = null;
    if (tokens) {
      mask = new PaddingMask({ name: 'padding_mask' }).apply(input) as tf.SymbolicTensor;
      x = new TokenAndPositionEmbedding({
        vocabSize: config.vocabSize as number, dim, maxLength: config.contextLength, positional, scale: !normFirst, name: 'embedding',
      }).apply(input) as tf.SymbolicTensor;
    } else {
      x = tf.layers.dense({ units: dim, name: 'projection' }).apply(input) as tf.SymbolicTensor;
      const pos = positional === 'learned' ? new PositionEmbedding({ maxLength: config.contextLength, name: 'positions' }) : new SinusoidalPositionEncoding({ maxLength: config.contextLength, name: 'positions' });
      x = pos.apply(x) as tf.SymbolicTensor;
    }
    for (let i = 0; i < (config.layers ?? 2); i++) {
      const block = new TransformerEncoderBlock({
        numHeads: config.heads ?? 4, ffDim: config.ffDim ?? 4 * dim, dropout: config.dropout ?? 0.1, normFirst,
        activation: config.activation ?? 'gelu', maxLength: config.contextLength, name: `block_${i}`,
      });
      x = block.apply(mask ? [x, mask] : x) as tf.SymbolicTensor;
    }
    if (normFirst) x = new LayerNorm({ name: 'final_norm' }).apply(x) as tf.SymbolicTensor;
    const Pool = config.pooling === 'max' ? MaskedMaxPooling : MaskedAveragePooling;
    const pooled = new Pool({ name: 'pooling' }).apply(mask ? [x, mask] : x) as tf.SymbolicTensor;
    const probs = tf.layers.dense({ units: config.classes, activation: 'softmax', name: 'classes' }).apply(pooled) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: probs, name: config.name ?? 'encoder_classifier' });
  });
}
