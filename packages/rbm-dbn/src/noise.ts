/**
 * Seeded noise for Gibbs sampling and CD training, drawn in JS from core's Rng. Its own file so
 * rbm.ts and train.ts both use it without importing each other.
 */
import { type Rng, tf } from '@neurozoo/core';

/** Uniform [0, 1) noise of `shape` from `rng` (drawn in JS: several times faster than tf.randomUniform's seeded generator). */
export function uniformNoise(shape: [number, number], rng: Rng): tf.Tensor2D {
  const data = new Float32Array(shape[0] * shape[1]);
  for (let i = 0; i < data.length; i++) data[i] = rng.next();
  return tf.tensor2d(data, shape);
}

/** Standard normal noise of `shape` from `rng` (Box-Muller). */
export function normalNoise(shape: [number, number], rng: Rng): tf.Tensor2D {
  const data = new Float32Array(shape[0] * shape[1]);
  for (let i = 0; i < data.length; i++) data[i] = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return tf.tensor2d(data, shape);
}
