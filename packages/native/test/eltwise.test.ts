/** Broadcasting binary ops, reductions and Transpose fast paths against the cpu backend. */
import { describe, expect, it } from 'vitest';
import { maxRelErr, onBoth, rand, skip, tf } from './helpers.js';

describe.skipIf(skip)('native elementwise kernels equal cpu', () => {
  const pairs: [number[], number[]][] = [
    [[4, 5], [4, 5]], [[4, 5], [5]], [[4, 5], [4, 1]], [[4, 1], [1, 5]], [[], [3, 2]], [[2, 3, 4], [3, 1]],
    [[2, 3, 4, 5], [2, 1, 4, 1]], [[2, 1, 3, 1, 2], [1, 4, 3, 5, 1]], [[128, 784], [128, 1]],
  ];
  for (const [sa, sb] of pairs) {
    it(`binary ops [${sa}] with [${sb}]`, async () => {
      const r = await onBoth(() => {
        const a = rand(sa, 1);
        const b = tf.add(rand(sb, 2), 1.5);
        return [tf.add(a, b), tf.sub(b, a), tf.mul(a, b), tf.div(a, b), tf.maximum(a, b), tf.minimum(b, a), tf.squaredDifference(a, b)];
      });
      expect(maxRelErr(r)).toBeLessThan(1e-6);
    });
  }

  it('binary ops keep tfjs NaN semantics and split big tensors over threads', async () => {
    const nan = await onBoth(() => {
      const a = tf.tensor1d([Number.NaN, 1, Number.NaN, -2, Infinity]);
      const b = tf.tensor1d([1, Number.NaN, Number.NaN, -Infinity, 3]);
      return [tf.maximum(a, b), tf.minimum(a, b), tf.add(a, b), tf.div(a, tf.tensor1d([0, 0, 1, 0, -0]))];
    });
    nan.cpu.forEach((c, i) => expect(Array.from(nan.native[i])).toEqual(Array.from(c)));
    const big = await onBoth(() => {
      const a = rand([64, 24, 24, 32], 5);
      return [tf.add(a, rand([32], 6)), tf.mul(a, rand([64, 24, 24, 32], 7)), tf.sub(rand([64, 1, 1, 32], 8), a)];
    });
    expect(maxRelErr(big)).toBeLessThan(1e-6);
  });

  const reductions: [number[], number[] | number | undefined][] = [
    [[6, 7], 0], [[6, 7], 1], [[6, 7], undefined], [[2, 3, 4], [1, 2]], [[2, 3, 4], [0, 1]], [[2, 3, 4], 1], [[2, 3, 4], [0, 2]], [[3, 1, 4], [0, 1]],
  ];
  for (const [shape, axis] of reductions) {
    it(`sum / mean / max of [${shape}] over ${JSON.stringify(axis)} (keepDims both ways)`, async () => {
      const r = await onBoth(() => {
        const x = rand(shape, 3);
        return [false, true].flatMap((k) => [tf.sum(x, axis, k), tf.mean(x, axis, k), tf.max(x, axis, k)]);
      });
      expect(maxRelErr(r)).toBeLessThan(1e-6);
    });
  }

  it('reductions over big tensors (split over threads by rows or by columns) and NaN in max', async () => {
    const r = await onBoth(() => {
      const x = rand([1024, 512], 9);
      const y = rand([8, 300, 64], 10);
      return [tf.sum(x, 0), tf.mean(x, 1), tf.max(x, 0), tf.sum(y, 1), tf.max(y, [0, 1]), tf.mean(rand([200000], 11))];
    });
    expect(maxRelErr(r)).toBeLessThan(1e-6);
    const nan = await onBoth(() => tf.max(tf.tensor2d([[1, Number.NaN, 3], [4, 5, 6]]), 1));
    expect(Array.from(nan.native[0])).toEqual(Array.from(nan.cpu[0]));
  });

  for (const [shape, perm] of [[[3, 4], [1, 0]], [[2, 3, 4], [2, 0, 1]], [[2, 3, 4, 5], [0, 2, 1, 3]], [[2, 1, 3, 4, 2], [4, 3, 2, 1, 0]]] as [number[], number[]][]) {
    it(`transpose [${shape}] by [${perm}]`, async () => {
      const r = await onBoth(() => tf.transpose(rand(shape, 4), perm));
      expect(maxRelErr(r)).toBe(0);
    });
  }
});
