/** The checks fit runs on its inputs before training, and the seeded Math.random scope. */
import { beforeAll, describe, expect, it } from 'vitest';
import { assertFinite, assertShapesMatch, DataError, ShapeError, tf, withSeed } from '../../src/index.js';
import { useWasm } from '../helpers.js';

beforeAll(useWasm);

describe('assertFinite / assertShapesMatch', () => {
  it('assertFinite names the first non-finite value, its sample and flat index; int tensors pass', () => {
    const x = tf.tensor2d([[1, 2], [3, Number.NEGATIVE_INFINITY]]);
    expect(() => assertFinite(x, 'x')).toThrow(
      new DataError('x contains -Infinity at sample 1 (flat index 3); expected finite numbers: clean or impute the data first'),
    );
    expect(() => assertFinite(tf.tensor1d([1, 2], 'int32'), 'y')).not.toThrow();
    expect(() => assertFinite(tf.tensor2d([[0.5, 1]]), 'x')).not.toThrow();
  });

  it('assertShapesMatch returns the sample count and says which tensor has which shape', () => {
    const input = tf.input({ shape: [3], name: 'features' });
    expect(assertShapesMatch([tf.zeros([5, 3])], [input], 'x')).toBe(5);
    expect(() => assertShapesMatch([tf.zeros([5, 4])], [input], 'x')).toThrow(
      new ShapeError("Input 'features' expects shape [batch, 3] but x has shape [5, 4]"),
    );
    expect(() => assertShapesMatch([tf.zeros([4, 3])], [input], 'x', 5)).toThrow(
      new ShapeError('All of x and y must hold the same number of samples: expected 5, got 4 in x[0]'),
    );
    expect(() => assertShapesMatch([], [input], 'x')).toThrow(new ShapeError('The model has 1 input(s) but x has 0 tensor(s)'));
  });
});

describe('withSeed', () => {
  it('makes Math.random repeat for the same seed and restores it afterwards, even on a throw', async () => {
    const original = Math.random;
    const draw = () => [Math.random(), Math.random()];
    const a = await withSeed(4, draw);
    expect(await withSeed(4, draw)).toEqual(a);
    expect(await withSeed(5, draw)).not.toEqual(a);
    await expect(withSeed(4, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(Math.random).toBe(original);
  });
});
