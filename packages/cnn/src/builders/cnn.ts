/**
 * CNN builders: the seed's alternation of convolution (channels multiply) and pooling (maps
 * shrink), then an ordinary dense network on the flattened features.
 */
import { tf, withSeedSync } from '@neurozoo/core';
import { type CnnConfig, validateConfig } from './config.js';

/**
 * Builds a CNN classifier (uncompiled tfjs Sequential model): per stage Conv2D ->
 * (BatchNormalization) -> activation -> (pool); then Flatten, dropout + dense ReLU layers, and
 * a softmax head of `classes` units.
 *
 * @example
 * ```ts
 * const model = cnn({
 *   inputShape: [28, 28, 1],
 *   stages: [{ filters: 16, kernelSize: 3, pool: { type: 'max', size: 2 } }, { filters: 32, kernelSize: 3, pool: { type: 'max', size: 2 } }],
 *   dense: [64], dropout: 0.25, batchNorm: true,
 * });
 * ```
 * @param seed - When given, the initial weights are drawn under this seed (same seed, same weights).
 * @throws OptionError / ShapeError from {@link validateConfig}.
 */
export function cnn(config: CnnConfig, seed?: number): tf.Sequential {
  validateConfig(config);
  const build = () => buildLayers(config);
  return seed === undefined ? build() : withSeedSync(seed, build);
}

function buildLayers(config: CnnConfig): tf.Sequential {
  const [h, w, c] = config.inputShape;
  const model = tf.sequential({ name: config.name ?? 'cnn' });
  if (config.flatInput) model.add(tf.layers.reshape({ targetShape: [h, w, c], inputShape: [h * w * c], name: 'image' }));
  config.stages.forEach((s, i) => {
    const n = i + 1;
    const first = i === 0 && !config.flatInput;
    model.add(
      tf.layers.conv2d({
        filters: s.filters,
        kernelSize: s.kernelSize,
        strides: s.strides ?? 1,
        padding: s.padding ?? 'valid',
        useBias: !config.batchNorm,
        activation: config.batchNorm ? 'linear' : (s.activation ?? 'relu') as never,
        name: `conv${n}`,
        ...(first ? { inputShape: config.inputShape } : {}),
      }),
    );
    if (config.batchNorm) {
      model.add(tf.layers.batchNormalization({ name: `bn${n}` }));
      model.add(tf.layers.activation({ activation: (s.activation ?? 'relu') as never, name: `act${n}` }));
    }
    if (s.pool) {
      const args = { poolSize: s.pool.size, strides: s.pool.strides ?? s.pool.size, padding: s.pool.padding ?? 'valid', name: `pool${n}` };
      model.add(s.pool.type === 'max' ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args));
    }
  });
  model.add(tf.layers.flatten({ name: 'flatten' }));
  const rate = config.dropout ?? 0;
  (config.dense ?? []).forEach((units, i) => {
    if (rate > 0) model.add(tf.layers.dropout({ rate, name: `dropout${i + 1}` }));
    model.add(tf.layers.dense({ units, activation: 'relu', name: `dense${i + 1}` }));
  });
  if (rate > 0) model.add(tf.layers.dropout({ rate, name: 'dropout_head' }));
  model.add(tf.layers.dense({ units: config.classes ?? 10, activation: 'softmax', name: 'classes' }));
  return model;
}

/** Options shared by the presets. */
export interface PresetOptions {
  inputShape?: [number, number, number];
  classes?: number;
  flatInput?: boolean;
}

/**
 * LeNet-5 (LeCun et al., 1998) as usually rebuilt: conv5x5x6 (same on 28x28, i.e. the 32x32
 * of the paper) -> avg pool 2 -> conv5x5x16 -> avg pool 2 -> dense 120 -> 84 -> classes, tanh.
 */
export function lenet5Config(options: PresetOptions = {}): CnnConfig {
  return {
    name: 'lenet5',
    inputShape: options.inputShape ?? [28, 28, 1],
    stages: [
      { filters: 6, kernelSize: 5, padding: 'same', activation: 'tanh', pool: { type: 'avg', size: 2 } },
      { filters: 16, kernelSize: 5, activation: 'tanh', pool: { type: 'avg', size: 2 } },
    ],
    dense: [120, 84],
    classes: options.classes ?? 10,
    flatInput: options.flatInput,
  };
}

/**
 * A small modern MNIST net, chosen for accuracy per second of training on 2 CPU cores (wasm):
 * conv5x5x16 -> ReLU -> max pool 2 -> conv5x5x32 -> ReLU -> max pool 2 -> dropout 0.25 ->
 * dense 128 -> dropout -> softmax ('valid' convolutions: 28 -> 24 -> 12 -> 8 -> 4). Channels
 * double stage to stage. No BatchNormalization by default: on tfjs's wasm backend its gradient
 * (Tile-heavy) made a step 3x slower than the convolutions themselves (measured 97 vs 312
 * samples/s on the 3x3 variant); pass `batchNorm: true` to `cnn()` to have it.
 */
export function mnistNetConfig(options: PresetOptions = {}): CnnConfig {
  return {
    name: 'mnist_net',
    inputShape: options.inputShape ?? [28, 28, 1],
    stages: [
      { filters: 16, kernelSize: 5, pool: { type: 'max', size: 2 } },
      { filters: 32, kernelSize: 5, pool: { type: 'max', size: 2 } },
    ],
    dense: [128],
    dropout: 0.25,
    classes: options.classes ?? 10,
    flatInput: options.flatInput,
  };
}

/** LeNet-5 as a model; see {@link lenet5Config}. */
export const lenet5 = (options?: PresetOptions, seed?: number) => cnn(lenet5Config(options), seed);

/** The small modern MNIST net as a model; see {@link mnistNetConfig}. */
export const mnistNet = (options?: PresetOptions, seed?: number) => cnn(mnistNetConfig(options), seed);
