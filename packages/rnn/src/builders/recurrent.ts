/**
 * Builders for recurrent stacks: sequence classification (e.g. MNIST read row by row),
 * sequence tagging (one label per token) and character language models. Every builder
 * defaults `recurrentActivation` to 'sigmoid' (tfjs defaults to 'hardSigmoid', which the
 * WebGPU LSTM kernel lacks); hardSigmoid models still export.
 */
import { OptionError, tf, withSeedSync } from '@neurozoo/core';

/** The recurrent cell of a layer. */
export type CellType = 'lstm' | 'gru' | 'simpleRNN';
/** How a bidirectional layer joins its two directions (null: two outputs). */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

/** Options shared by every builder. */
export interface RecurrentStackOptions {
  /** Cell of every layer (default 'lstm'). */
  cell?: CellType;
  /** Units of each recurrent layer, bottom first (default [128]). */
  units?: number[];
  /** Wrap each layer in Bidirectional (default false). */
  bidirectional?: boolean;
  /** Merge mode of the Bidirectional layers (default 'concat'). */
  mergeMode?: MergeMode;
  /** Gate activation (default 'sigmoid'); 'hardSigmoid' is the tfjs default. */
  recurrentActivation?: 'sigmoid' | 'hardSigmoid';
  /** Dropout between layers and before the head (default 0). */
  dropout?: number;
  /** Seed of the initial weights (default 0). */
  seed?: number;
  /** Adam step size (default 1e-3). */
  learningRate?: number;
}

/** One recurrent layer, optionally bidirectional. */
export function recurrentLayer(
  units: number,
  options: Pick<RecurrentStackOptions, 'cell' | 'bidirectional' | 'mergeMode' | 'recurrentActivation'> & { returnSequences: boolean; name?: string },
): tf.layers.Layer {
  const { cell = 'lstm', bidirectional = false, mergeMode = 'concat', recurrentActivation = 'sigmoid', returnSequences, name } = options;
  if (!(Number.isInteger(units) && units > 0)) throw new OptionError(`units must be positive integers, got ${units}`);
  if (!['lstm', 'gru', 'simpleRNN'].includes(cell)) throw new OptionError(`cell must be 'lstm', 'gru' or 'simpleRNN', got '${cell}'`);
  const config = { units, returnSequences, ...(cell === 'simpleRNN' ? {} : { recurrentActivation }) };
  const layer = tf.layers[cell]({ ...config, ...(bidirectional ? {} : { name }) } as never) as tf.layers.Layer;
  return bidirectional ? tf.layers.bidirectional({ layer: layer as never, mergeMode, name }) : layer;
}

/** Applies the stack to `x`; the top layer returns sequences only when `sequencesOut`. */
export function applyStack(x: tf.SymbolicTensor, options: RecurrentStackOptions, sequencesOut: boolean): tf.SymbolicTensor {
  const units = options.units ?? [128];
  if (units.length === 0) throw new OptionError('units needs at least one layer size');
  let h = x;
  units.forEach((u, i) => {
    const last = i === units.length - 1;
    h = recurrentLayer(u, { ...options, returnSequences: !last || sequencesOut, name: `rnn_${i}` }).apply(h) as tf.SymbolicTensor;
    if (options.dropout) h = tf.layers.dropout({ rate: options.dropout }).apply(h) as tf.SymbolicTensor;
  });
  return h;
}

function compile(model: tf.LayersModel, learningRate = 1e-3, loss = 'categoricalCrossentropy'): tf.LayersModel {
  model.compile({ optimizer: tf.train.adam(learningRate), loss, metrics: ['acc'] });
  return model;
}

/** Options of {@link sequenceClassifier}. */
export interface SequenceClassifierOptions extends RecurrentStackOptions {
  /** Time steps (28 for MNIST rows). */
  steps: number;
  /** Features per step (28 for MNIST rows). */
  features: number;
  classes: number;
  /** Take flat [batch, steps*features] input and reshape inside the model (default false). */
  flatInput?: boolean;
}

/**
 * A classifier over whole sequences: recurrent stack, last state, softmax head; compiled with
 * Adam and categorical cross-entropy (one-hot labels).
 *
 * @example
 * const model = sequenceClassifier({ steps: 28, features: 28, classes: 10, units: [128], flatInput: true });
 */
export function sequenceClassifier(options: SequenceClassifierOptions): tf.LayersModel {
  const { steps, features, classes, flatInput = false } = options;
  return withSeedSync(options.seed ?? 0, () => {
    const input = tf.input({ shape: flatInput ? [steps * features] : [steps, features], name: 'sequence' });
    const x = flatInput ? (tf.layers.reshape({ targetShape: [steps, features] }).apply(input) as tf.SymbolicTensor) : input;
    const h = applyStack(x, options, false);
    const out = tf.layers.dense({ units: classes, activation: 'softmax', name: 'probabilities' }).apply(h) as tf.SymbolicTensor;
    return compile(tf.model({ inputs: input, outputs: out, name: 'sequence_classifier' }), options.learningRate);
  });
}

/** Options of {@link sequenceTagger} and {@link charLanguageModel}. */
export interface TokenModelOptions extends RecurrentStackOptions {
  /** Input vocabulary size (id 0 is padding). */
  vocabSize: number;
  /** Output classes per step (tags; the vocabulary for a language model). */
  outputs: number;
  /** Embedding width (default 64). */
  embeddingDim?: number;
  /** Fixed sequence length, or null for any length (default null). */
  maxLength?: number | null;
}

function tokenModel(options: TokenModelOptions, name: string): tf.LayersModel {
  return withSeedSync(options.seed ?? 0, () => {
    const input = tf.input({ shape: [options.maxLength ?? null], name: 'tokens' });
    const e = tf.layers.embedding({ inputDim: options.vocabSize, outputDim: options.embeddingDim ?? 64, name: 'embedding' }).apply(input) as tf.SymbolicTensor;
    const h = applyStack(e, options, true);
    const dense = tf.layers.dense({ units: options.outputs, activation: 'softmax' });
    const out = tf.layers.timeDistributed({ layer: dense, name: 'probabilities' }).apply(h) as tf.SymbolicTensor;
    return compile(tf.model({ inputs: input, outputs: out, name }), options.learningRate, 'sparseCategoricalCrossentropy');
  });
}

/** A tagger: embedding, recurrent stack returning sequences, TimeDistributed(Dense softmax). */
export function sequenceTagger(options: TokenModelOptions): tf.LayersModel {
  return tokenModel({ bidirectional: true, ...options }, 'sequence_tagger');
}

/** A character language model: predicts the next character id at every step. */
export function charLanguageModel(options: Omit<TokenModelOptions, 'outputs'>): tf.LayersModel {
  return tokenModel({ ...options, outputs: options.vocabSize, bidirectional: false }, 'char_lm');
}
