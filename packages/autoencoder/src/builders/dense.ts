/**
 * Dense autoencoder builders. Each returns three tfjs models that share their layers, so
 * training the full `model` trains `encoder` and `decoder` too:
 *
 * ```
 * model:   x -> [GaussianNoise] -> encoder -> [ActivityL1] -> decoder -> x̂
 * encoder: x -> hidden... -> code          decoder: code -> ...hidden -> x̂
 * ```
 *
 * GaussianNoise (denoising) and ActivityL1 (sparse) act only while training and sit in the
 * full model only, so the exported encoder and decoder are plain Dense stacks.
 */
import { OptionError, tf, withSeedSync } from '@neurozoo/core';
import { ActivityL1 } from '../layers/activity-l1.js';

/** Activations the builders accept. */
export type Activation = 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'linear';

/** The three models of an autoencoder, sharing weights. */
export interface AutoencoderModels {
  /** x -> reconstruction; the one to train. */
  model: tf.LayersModel;
  /** x -> code. */
  encoder: tf.LayersModel;
  /** code -> reconstruction. */
  decoder: tf.LayersModel;
}

/** Regularisers shared by every builder. */
export interface Regularisers {
  /** Standard deviation of the Gaussian noise added to the input while training (denoising); 0 = none. */
  noise?: number;
  /** L1 weight on the code's activations (sparse autoencoder); 0 = none. */
  sparsity?: number;
}

/** Config of {@link denseAutoencoder}. */
export interface DenseAutoencoderConfig extends Regularisers {
  /** Features per sample (784 for MNIST). */
  inputSize: number;
  /** Width of the code. Must be < inputSize unless `noise` or `sparsity` is set. */
  code: number;
  /** Encoder widths between the input and the code; the decoder mirrors them (default []). */
  hidden?: number[];
  /** Hidden-layer activation (default 'relu'). */
  activation?: Activation;
  /** Code activation (default 'relu' without hidden layers, as the seed's 3-layer net; 'linear' with them, as Hinton & Salakhutdinov). */
  codeActivation?: Activation;
  /** Output activation (default 'sigmoid', for pixels in [0, 1]). */
  outputActivation?: Activation;
  /** Seed of the initial weights (default 0). */
  seed?: number;
}

const positiveInt = (name: string, v: number) => {
  if (!(Number.isInteger(v) && v > 0)) throw new OptionError(`${name} must be a positive integer, got ${v}`);
};

/** Checks the regularisers and the undercomplete rule; `what` names the code size for messages. */
export function checkBottleneck(inputSize: number, codeSize: number, reg: Regularisers, what: string): void {
  for (const key of ['noise', 'sparsity'] as const) {
    const v = reg[key] ?? 0;
    if (!(Number.isFinite(v) && v >= 0)) throw new OptionError(`${key} must be a number >= 0, got ${v}`);
  }
  if (codeSize >= inputSize && !(reg.noise || reg.sparsity)) {
    throw new OptionError(
      `The code (${what}) must be narrower than the input (${inputSize} features), or the autoencoder can learn the identity. ` +
        'Use a smaller code, or choose a regulariser: noise > 0 (denoising) or sparsity > 0 (sparse).',
    );
  }
}

/** Joins encoder and decoder into the full model, with the training-only regularisers. */
export function joinModels(encoder: tf.LayersModel, decoder: tf.LayersModel, reg: Regularisers): tf.LayersModel {
  const input = tf.input({ shape: encoder.inputs[0].shape.slice(1) as number[], name: 'x' });
  let h: tf.SymbolicTensor = input;
  if (reg.noise) h = tf.layers.gaussianNoise({ stddev: reg.noise, name: 'denoising_noise' }).apply(h) as tf.SymbolicTensor;
  h = encoder.apply(h) as tf.SymbolicTensor;
  if (reg.sparsity) h = new ActivityL1({ l1: reg.sparsity, name: 'sparsity_l1' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: decoder.apply(h) as tf.SymbolicTensor, name: 'autoencoder' });
}

/** Any dense autoencoder: input -> hidden... -> code -> ...hidden reversed -> input. */
export function denseAutoencoder(config: DenseAutoencoderConfig): AutoencoderModels {
  const { inputSize, code, hidden = [], activation = 'relu', outputActivation = 'sigmoid', seed = 0 } = config;
  positiveInt('inputSize', inputSize);
  positiveInt('code', code);
  hidden.forEach((w, i) => positiveInt(`hidden[${i}]`, w));
  checkBottleneck(inputSize, code, config, `${code} units`);
  const codeActivation = config.codeActivation ?? (hidden.length ? 'linear' : 'relu');
  return withSeedSync(seed, () => {
    const dense = (units: number, act: Activation, name: string) => tf.layers.dense({ units, activation: act, name });
    const x = tf.input({ shape: [inputSize], name: 'x' });
    let h: tf.SymbolicTensor = x;
    hidden.forEach((w, i) => { h = dense(w, activation, `enc_${i + 1}`).apply(h) as tf.SymbolicTensor; });
    const z = dense(code, codeActivation, 'code').apply(h) as tf.SymbolicTensor;
    const encoder = tf.model({ inputs: x, outputs: z, name: 'encoder' });

    const c = tf.input({ shape: [code], name: 'code' });
    h = c;
    [...hidden].reverse().forEach((w, i) => { h = dense(w, activation, `dec_${i + 1}`).apply(h) as tf.SymbolicTensor; });
    const out = dense(inputSize, outputActivation, 'reconstruction').apply(h) as tf.SymbolicTensor;
    const decoder = tf.model({ inputs: c, outputs: out, name: 'decoder' });
    return { model: joinModels(encoder, decoder, config), encoder, decoder };
  });
}

/** The seed's three-layer undercomplete autoencoder: input -> code -> input (e.g. 784-64-784). */
export function undercompleteAutoencoder(config: Omit<DenseAutoencoderConfig, 'hidden'>): AutoencoderModels {
  return denseAutoencoder({ ...config, hidden: [] });
}

/** A deep (stacked) autoencoder; the default is Hinton & Salakhutdinov's 784-1000-500-250-30. */
export function deepAutoencoder(config: Partial<DenseAutoencoderConfig> = {}): AutoencoderModels {
  return denseAutoencoder({ inputSize: 784, hidden: [1000, 500, 250], code: 30, ...config });
}

/** A denoising autoencoder: Gaussian noise (stddev `noise`, default 0.3) on the input, only while training. */
export function denoisingAutoencoder(config: DenseAutoencoderConfig): AutoencoderModels {
  return denseAutoencoder({ ...config, noise: config.noise ?? 0.3 });
}

/** A sparse autoencoder: L1 penalty `sparsity` (default 1e-4) on the code's activations; the code may be wider than the input. */
export function sparseAutoencoder(config: DenseAutoencoderConfig): AutoencoderModels {
  return denseAutoencoder({ ...config, sparsity: config.sparsity ?? 1e-4, codeActivation: config.codeActivation ?? 'relu' });
}

/** Finds the encoder and decoder inside a full model (e.g. one loaded from disk). */
export function splitAutoencoder(model: tf.LayersModel): AutoencoderModels {
  const find = (name: string) => {
    const layer = model.layers.find((l) => l.name === name);
    if (!(layer instanceof tf.LayersModel)) throw new OptionError(`Model '${model.name}' has no nested '${name}' model: is it a neurozoo autoencoder?`);
    return layer;
  };
  return { model, encoder: find('encoder'), decoder: find('decoder') };
}
