import { ShapeError, tf } from '@neurozoo/core';

/** Features: a tensor [n, features], rows of numbers, or a flat typed array with its shape. */
export type Features = tf.Tensor | number[][] | { x: Float32Array; shape: number[] };
/** Class labels: integer ids 0..classes-1. */
export type Labels = tf.Tensor | ArrayLike<number>;

/** Turns {@link Features} into a float32 tensor [n, features] (flattening image-shaped data). */
export function toFeatureTensor(x: Features): tf.Tensor2D {
  const t =
    x instanceof tf.Tensor ? x : Array.isArray(x) ? tf.tensor2d(x as number[][]) : tf.tensor(x.x, x.shape, 'float32');
  if (t.rank < 2) throw new ShapeError(`Features must have shape [samples, features], got [${t.shape.join(', ')}]`);
  if (t.rank === 2) return t as tf.Tensor2D;
  const flat = t.reshape([t.shape[0], -1]) as tf.Tensor2D;
  if (t !== x) t.dispose();
  return flat;
}

/** Turns {@link Labels} into an int32 tensor [n], checking ids are within 0..classes-1. */
export function toLabelTensor(y: Labels, classes: number): tf.Tensor1D {
  const values = y instanceof tf.Tensor ? y.dataSync() : y;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) {
      throw new ShapeError(`Labels must be integer class ids in [0, ${classes - 1}]; label ${i} is ${v}`);
    }
  }
  return tf.tensor1d(Array.from(values), 'int32');
}
