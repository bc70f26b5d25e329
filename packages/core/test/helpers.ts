import '@tensorflow/tfjs-backend-wasm';
import { tf } from '../src/tf.js';
import { withSeedSync } from '../src/random.js';

/** Selects the wasm backend for a test file. */
export async function useWasm(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
}

/**
 * Two interleaved spirals-free blobs: a small, learnable, seeded 2-class problem with
 * `features` inputs, one-hot targets. Used where the loop's mechanics are under test;
 * accuracy on real data sets is tested in the families.
 */
export function blobs(n: number, features = 8, seed = 1): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return withSeedSync(seed, () => {
    const labels = Array.from({ length: n }, () => (Math.random() < 0.5 ? 0 : 1));
    const x = labels.map((c) => Array.from({ length: features }, (_, j) => (c === 1 && j < 3 ? 1.5 : 0) + (Math.random() - 0.5) * 2));
    return { x: tf.tensor2d(x), y: tf.oneHot(tf.tensor1d(labels, 'int32'), 2).toFloat() as tf.Tensor2D };
  });
}

/** A small MLP with dropout, built with `seed` so its initial weights are reproducible. */
export function smallModel(seed: number, features = 8, optimizer = 'adam'): tf.LayersModel {
  return withSeedSync(seed, () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [features], units: 16, activation: 'relu' }),
        tf.layers.dropout({ rate: 0.3 }),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['acc'] });
    return model;
  });
}

export const weightsOf = (model: tf.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));
