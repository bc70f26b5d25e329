import { initBackend, ShapeError, tf } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { convolve2d } from '../src/index.js';

beforeAll(() => initBackend({ backend: 'wasm' }));

describe('convolve2d: the seed\'s definition of convolution', () => {
  it('sums the element-wise products of every KxL sub-matrix with the kernel into (M-K+1)x(N-L+1)', () => {
    expect(convolve2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, -1]])).toEqual([[-4, -4], [-4, -4]]);
    expect(convolve2d([[1, 2, 3, 4]], [[1, 1]])).toEqual([[3, 5, 7]]);
    expect(convolve2d({ data: [1, 2, 3, 4, 5, 6], rows: 2, cols: 3 }, [[2]])).toEqual([[2, 4, 6], [8, 10, 12]]);
  });

  it.each([[5, 5, 3, 3], [28, 28, 5, 5], [7, 10, 2, 4], [6, 4, 6, 1], [9, 9, 9, 9]])(
    'equals tf.conv2d (one channel, stride 1, valid) for a %ix%i matrix and a %ix%i kernel',
    (m, n, k, l) => {
      const x = tf.randomNormal([m, n]);
      const w = tf.randomNormal([k, l]);
      const ours = convolve2d(x.arraySync() as number[][], w.arraySync() as number[][]);
      const theirs = tf.conv2d(x.reshape([1, m, n, 1]) as tf.Tensor4D, w.reshape([k, l, 1, 1]) as tf.Tensor4D, 1, 'valid');
      expect(theirs.shape).toEqual([1, m - k + 1, n - l + 1, 1]);
      const want = theirs.dataSync();
      expect(Math.max(...ours.flat().map((v, i) => Math.abs(v - want[i])))).toBeLessThan(1e-4);
      tf.dispose([x, w, theirs]);
    },
  );

  it('rejects kernels larger than the matrix, ragged rows and empty input with the shapes named', () => {
    expect(() => convolve2d([[1, 2], [3, 4]], [[1, 2, 3]])).toThrow(new ShapeError('A 1x3 kernel does not fit in a 2x2 matrix: the result would be 2x0.'));
    expect(() => convolve2d([[1, 2], [3]], [[1]])).toThrow(/matrix: row 1 has 1 values, row 0 has 2/);
    expect(() => convolve2d([], [[1]])).toThrow(/non-empty/);
    expect(() => convolve2d({ data: [1, 2, 3], rows: 2, cols: 2 }, [[1]])).toThrow(/3 values do not fill 2x2/);
  });
});
