import { tf } from '../tf.js';

/**
 * Scales `grads` together so their global L2 norm is at most `maxNorm` (TensorFlow's
 * `clip_by_global_norm`: each × maxNorm / max(norm, maxNorm)), keeping the update's direction.
 * Returns new tensors; the caller disposes them (or calls this inside `tf.tidy`).
 */
export function clipByGlobalNorm<T extends tf.Tensor>(grads: readonly T[], maxNorm: number): T[] {
  return tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
    const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
    return grads.map((g) => tf.mul(g, scale) as T);
  });
}

/**
 * One optimizer step on the trainable `variables` of a custom model: the gradients of `loss`,
 * clipped by global norm when `clipNorm` > 0, applied by `optimizer`. Returns the loss value.
 */
export function gradientStep(optimizer: tf.Optimizer, variables: readonly tf.Variable[], loss: () => tf.Scalar, clipNorm = 0): number {
  const value = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(loss, [...variables]);
    const names = Object.keys(grads);
    const applied = clipNorm > 0 ? clipByGlobalNorm(names.map((k) => grads[k]), clipNorm) : names.map((k) => grads[k]);
    optimizer.applyGradients(Object.fromEntries(names.map((k, i) => [k, applied[i]])));
    return value;
  });
  const out = value.dataSync()[0];
  value.dispose();
  return out;
}
