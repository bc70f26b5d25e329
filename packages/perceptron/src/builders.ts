import { checkOptions, OptionError, tf, withSeedSync } from '@neurozoo/core';

/** Activations offered for hidden layers (any tfjs activation string also works). */
export type HiddenActivation = 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'selu' | 'gelu' | 'swish' | 'linear';

/** Configuration of {@link mlp}: a multi-layer perceptron, input -> hidden layers -> head. */
export interface MlpConfig {
  /** Number of input features (the input is flat: [batch, inputSize]). */
  inputSize: number;
  /** Units of each hidden layer, e.g. [256, 128]; more than three makes a deep net. */
  hidden: number[];
  /** Output units: classes for a classifier, targets for a regressor. */
  outputs: number;
  /** Hidden activation (default 'relu'). */
  activation?: HiddenActivation;
  /** Head activation: 'softmax' (default), 'sigmoid' or 'linear'. */
  outputActivation?: 'softmax' | 'sigmoid' | 'linear';
  /** Dropout rate after every hidden layer, in [0, 1) (default 0: none). */
  dropout?: number;
  /** Seed of the initial weights (default 0). */
  seed?: number;
}

const KEYS = ['inputSize', 'hidden', 'outputs', 'activation', 'outputActivation', 'dropout', 'seed'] as const;

/**
 * Builds an MLP as a tfjs Sequential model. Same config and seed, same initial weights.
 *
 * @example
 * const model = mlp({ inputSize: 784, hidden: [256, 128], outputs: 10, dropout: 0.2 });
 */
export function mlp(config: MlpConfig): tf.Sequential {
  checkOptions(config, KEYS, 'mlp');
  const { inputSize, hidden, outputs } = config;
  const positive = (name: string, v: number) => {
    if (!(Number.isInteger(v) && v > 0)) throw new OptionError(`mlp ${name} must be a positive integer, got ${v}`);
  };
  positive('inputSize', inputSize);
  positive('outputs', outputs);
  if (!Array.isArray(hidden)) throw new OptionError(`mlp hidden must be an array of layer sizes, got ${hidden}`);
  hidden.forEach((h, i) => positive(`hidden[${i}]`, h));
  const dropout = config.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new OptionError(`mlp dropout must be in [0, 1), got ${dropout}`);
  const outputActivation = config.outputActivation ?? 'softmax';
  if (!['softmax', 'sigmoid', 'linear'].includes(outputActivation)) {
    throw new OptionError(`mlp outputActivation must be 'softmax', 'sigmoid' or 'linear', got '${outputActivation}'`);
  }
  return withSeedSync(config.seed ?? 0, () => {
    const model = tf.sequential({ name: 'mlp' });
    hidden.forEach((units, i) => {
      model.add(tf.layers.dense({ units, activation: config.activation ?? 'relu', ...(i === 0 ? { inputShape: [inputSize] } : {}) }));
      if (dropout > 0) model.add(tf.layers.dropout({ rate: dropout }));
    });
    model.add(tf.layers.dense({ units: outputs, activation: outputActivation, ...(hidden.length === 0 ? { inputShape: [inputSize] } : {}) }));
    return model;
  });
}
