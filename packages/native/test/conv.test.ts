/** Native Conv2D, FusedConv2D and both conv gradients against the cpu backend. */
import { describe, expect, it } from 'vitest';
import { expectNoLeak, maxRelErr, onBoth, rand, skip, tf } from './helpers.js';

const TOL = 2e-5;

describe.skipIf(skip)('native conv2d equals cpu', () => {
  // [x shape, filter shape, strides, pad, dilations]
  const cases: [number[], number[], [number, number], 'valid' | 'same' | number, number][] = [
    [[2, 28, 28, 1], [5, 5, 1, 8], [1, 1], 'valid', 1],
    [[2, 14, 14, 8], [5, 5, 8, 16], [1, 1], 'same', 1],
    [[3, 9, 11, 3], [3, 3, 3, 5], [2, 2], 'same', 1],
    [[1, 10, 7, 4], [3, 2, 4, 6], [2, 1], 'valid', 1],
    [[2, 8, 8, 3], [1, 1, 3, 7], [1, 1], 'valid', 1],
    [[2, 9, 9, 2], [3, 3, 2, 3], [1, 1], 1, 1],
    [[1, 12, 12, 2], [3, 3, 2, 4], [1, 1], 'same', 2],
  ];
  for (const [xs, fs, strides, pad, dil] of cases) {
    it(`x=[${xs}] f=[${fs}] strides=${strides} pad=${pad} dilation=${dil}, with gradients`, async () => {
      const r = await onBoth(() => {
        const x = rand(xs, 1) as tf.Tensor4D;
        const f = rand(fs, 2) as tf.Tensor4D;
        const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad, 'NHWC', dil);
        const out: tf.Tensor[] = [conv(x, f)];
        // tfjs computes conv gradients only without dilation.
        if (dil === 1) out.push(...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), 0.5)))([x, f]));
        return out;
      });
      expect(maxRelErr(r)).toBeLessThan(TOL);
    });
  }

  for (const activation of ['relu', 'sigmoid', 'linear'] as const) {
    it(`fused conv2d + bias + ${activation}`, async () => {
      const r = await onBoth(() => tf.fused.conv2d({ x: rand([2, 7, 7, 3], 1) as tf.Tensor4D, filter: rand([3, 3, 3, 4], 2) as tf.Tensor4D, strides: 1, pad: 'same', bias: rand([4], 3), activation }));
      expect(maxRelErr(r)).toBeLessThan(TOL);
    });
  }

  it('leaks nothing', async () => {
    const [before, after] = await expectNoLeak(() => tf.conv2d(rand([2, 6, 6, 2], 1) as tf.Tensor4D, rand([3, 3, 2, 3], 2) as tf.Tensor4D, 1, 'same'));
    expect(after).toEqual(before);
  });
});

describe.skipIf(skip)('native max and average pooling equal cpu', () => {
  const cases: [number[], [number, number], [number, number], 'valid' | 'same'][] = [
    [[2, 24, 24, 4], [2, 2], [2, 2], 'valid'], [[1, 7, 9, 3], [3, 3], [2, 2], 'same'], [[2, 5, 5, 2], [2, 3], [1, 2], 'valid'],
  ];
  for (const [xs, size, strides, pad] of cases) {
    it(`maxPool x=[${xs}] size=${size} strides=${strides} ${pad}, with gradient`, async () => {
      const r = await onBoth(() => {
        const x = rand(xs, 9) as tf.Tensor4D;
        return [tf.maxPool(x, size, strides, pad), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, size, strides, pad), rand([1, 1, 1, xs[3]], 3))))(x)];
      });
      expect(maxRelErr(r)).toBeLessThan(1e-6);
    });

    it(`avgPool x=[${xs}] size=${size} strides=${strides} ${pad} (windows cut by padding too), with gradient`, async () => {
      const r = await onBoth(() => {
        const x = rand(xs, 10) as tf.Tensor4D;
        return [tf.avgPool(x, size, strides, pad), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(a as tf.Tensor4D, size, strides, pad), rand([1, 1, 1, xs[3]], 4))))(x)];
      });
      expect(maxRelErr(r)).toBeLessThan(1e-6);
    });
  }
});
