/**
 * The decoder-only language model (GPT-style): token + position embedding, causal transformer
 * blocks, a final LayerNormalization (pre-LN) and a linear vocabulary head. Ids [b, T] (float32)
 * -> next-token logits [b, T, V]. Teacher forcing trains it through a second model that adds the
 * label-smoothed cross-entropy as a layer, so core's `fit` (checkpoints, resume) drives it.
 */
import { OptionError, tf, withSeedSync } from '@neurozoo/core';
import type { FeedForwardActivation } from '../layers/ops.js';
import { TransformerEncoderBlock } from '../layers/blocks.js';
import { SequenceCrossEntropy } from '../layers/masking.js';
import { LayerNorm } from '../layers/norm.js';
import { TokenAndPositionEmbedding } from '../layers/positional.js';
import { nextWindowStart } from '../runtime/window.js';

/** Size and shape of a {@link buildGpt} model. */
export interface GptConfig {
  vocabSize: number;
  /** Longest context (rows of the position table and of the causal mask). */
  contextLength: number;
  /** Model width (default 64). */
  dim?: number;
  /** Attention heads (default 2). */
  heads?: number;
  /** Blocks (default 2). */
  layers?: number;
  /** Feed-forward width (default 4 × dim). */
  ffDim?: number;
  /** Dropout (default 0.1). */
  dropout?: number;
  /** Pre-LN with a final LayerNormalization (default true), or post-LN as the PyTorch peer. */
  normFirst?: boolean;
  activation?: FeedForwardActivation;
  positional?: 'learned' | 'sinusoidal';
  /** Scale token embeddings by sqrt(dim) (default: true for post-LN, as the PyTorch peer). */
  scaleEmbeddings?: boolean;
  name?: string;
}

/** Builds the GPT-style LM; `seed` fixes the initial weights. */
export function buildGpt(config: GptConfig, seed = 0): tf.LayersModel {
  const dim = config.dim ?? 64;
  const normFirst = config.normFirst ?? true;
  return withSeedSync(seed, () => {
    const ids = tf.input({ shape: [null], name: 'ids' });
    let x = new TokenAndPositionEmbedding({
      vocabSize: config.vocabSize,
      dim,
      maxLength: config.contextLength,
      positional: config.positional ?? 'learned',
      scale: config.scaleEmbeddings ?? !normFirst,
      name: 'embedding',
    }).apply(ids) as tf.SymbolicTensor;
    for (let i = 0; i < (config.layers ?? 2); i++) {
      x = new TransformerEncoderBlock({
        numHeads: config.heads ?? 2,
        ffDim: config.ffDim ?? 4 * dim,
        dropout: config.dropout ?? 0.1,
        causal: true,
        normFirst,
        activation: config.activation ?? 'gelu',
        maxLength: config.contextLength,
        name: `block_${i}`,
      }).apply(x) as tf.SymbolicTensor;
    }
    if (normFirst) x = new LayerNorm({ name: 'final_norm' }).apply(x) as tf.SymbolicTensor;
    const logits = tf.layers.dense({ units: config.vocabSize, name: 'logits' }).apply(x) as tf.SymbolicTensor;
    return tf.model({ inputs: ids, outputs: logits, name: config.name ?? 'gpt' });
  });
}

/** The loss a training model is compiled with: the mean of its per-sequence loss output. */
export const meanOfOutput = (_yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar => tf.mean(yPred);

/**
 * A model sharing `lm`'s layers with inputs [ids, targets] and the per-sequence token
 * cross-entropy as output; compile it with {@link meanOfOutput} and fit with y = zeros [n, 1].
 */
export function lossModel(lm: tf.LayersModel, options: { labelSmoothing?: number; ignoreId?: number } = {}): tf.LayersModel {
  const targets = tf.input({ shape: [null], name: 'targets' });
  const loss = new SequenceCrossEntropy({ ...options, name: 'token_loss' }).apply([lm.outputs[0], targets]) as tf.SymbolicTensor;
  return tf.model({ inputs: [...lm.inputs, targets], outputs: loss, name: `${lm.name}_training` });
}

/** The model's context length: rows of its TokenAndPositionEmbedding's table. */
function contextLengthOf(model: tf.LayersModel): number {
  const emb = model.layers.find((l) => l instanceof TokenAndPositionEmbedding) as TokenAndPositionEmbedding | undefined;
  if (!emb) throw new OptionError(`Model '${model.name}' has no TokenAndPositionEmbedding layer.`);
  return emb.args.maxLength;
}

/** Greedy decoding in tfjs (the reference the onnxruntime runtime is tested against); returns prompt + new ids. */
export function greedyGenerateTf(model: tf.LayersModel, prompt: number[], maxTokens: number): number[] {
  const context = contextLengthOf(model);
  const ids = [...prompt];
  let start = Math.max(0, ids.length - context);
  for (let i = 0; i < maxTokens; i++) {
    start = nextWindowStart(start, ids.length, context);
    const window = ids.slice(start);
    const next = tf.tidy(() => {
      const logits = model.predict(tf.tensor2d(window, [1, window.length])) as tf.Tensor;
      return logits.slice([0, window.length - 1, 0], [1, 1, -1]).argMax(-1).dataSync()[0];
    });
    ids.push(next);
  }
  return ids;
}
