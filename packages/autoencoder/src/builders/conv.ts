/**
 * The convolutional autoencoder. Its layers are tfjs's Conv2D, MaxPooling2D and
 * UpSampling2D, which core's ONNX converters handle (no converter of this family's own).
 *
 * ```
 * encoder: [h,w,c] -> (Conv2D 3x3 relu, MaxPool 2) per filter count -> code [h/2^k, w/2^k, last]
 * decoder: code -> (Conv2D 3x3 relu, UpSampling 2) per filter count, reversed -> Conv2D 3x3 sigmoid -> [h,w,c]
 * ```
 */
import { OptionError, tf, withSeedSync } from '@neurozoo/core';
import { type AutoencoderModels, checkBottleneck, joinModels, type Regularisers } from './dense.js';

/** Config of {@link convAutoencoder}. */
export interface ConvAutoencoderConfig extends Regularisers {
  /** Image shape [height, width, channels] (default [28, 28, 1]). */
  inputShape?: [number, number, number];
  /** Filters per encoder stage; each stage halves height and width (default [16, 8]). */
  filters?: number[];
  /** Kernel size (default 3). */
  kernelSize?: number;
  /** Seed of the initial weights (default 0). */
  seed?: number;
}

/** A convolutional autoencoder; the default maps 28x28x1 to a 7x7x8 code (392 values) and back. */
export function convAutoencoder(config: ConvAutoencoderConfig = {}): AutoencoderModels {
  const { inputShape = [28, 28, 1], filters = [16, 8], kernelSize = 3, seed = 0 } = config;
  const [h, w, c] = inputShape;
  const scale = 2 ** filters.length;
  if (filters.length === 0 || filters.some((f) => !(Number.isInteger(f) && f > 0))) {
    throw new OptionError(`filters must be a non-empty list of positive integers, got ${JSON.stringify(filters)}`);
  }
  if (h % scale || w % scale) throw new OptionError(`inputShape ${h}x${w} must be divisible by 2^${filters.length} = ${scale} (one pooling per stage)`);
  const codeShape = [h / scale, w / scale, filters[filters.length - 1]];
  const codeSize = codeShape[0] * codeShape[1] * codeShape[2];
  checkBottleneck(h * w * c, codeSize, config, `${codeShape.join('x')} = ${codeSize} values`);
  return withSeedSync(seed, () => {
    const conv = (f: number, activation: 'relu' | 'sigmoid', name: string) =>
      tf.layers.conv2d({ filters: f, kernelSize, padding: 'same', activation, name });
    const x = tf.input({ shape: [h, w, c], name: 'x' });
    let t: tf.SymbolicTensor = x;
    filters.forEach((f, i) => {
      t = conv(f, 'relu', `enc_conv_${i + 1}`).apply(t) as tf.SymbolicTensor;
      t = tf.layers.maxPooling2d({ poolSize: 2, name: `enc_pool_${i + 1}` }).apply(t) as tf.SymbolicTensor;
    });
    const encoder = tf.model({ inputs: x, outputs: t, name: 'encoder' });
    const code = tf.input({ shape: codeShape, name: 'code' });
    t = code;
    [...filters].reverse().forEach((f, i) => {
      t = conv(f, 'relu', `dec_conv_${i + 1}`).apply(t) as tf.SymbolicTensor;
      t = tf.layers.upSampling2d({ size: [2, 2], name: `dec_up_${i + 1}` }).apply(t) as tf.SymbolicTensor;
    });
    const out = conv(c, 'sigmoid', 'reconstruction').apply(t) as tf.SymbolicTensor;
    const decoder = tf.model({ inputs: code, outputs: out, name: 'decoder' });
    return { model: joinModels(encoder, decoder, config), encoder, decoder };
  });
}
