/** Native BatchMatMul / _FusedMatMul against the cpu backend over a sweep of shapes. */
import { describe, expect, it } from 'vitest';
import { expectNoLeak, maxRelErr, onBoth, rand, skip, status, tf } from './helpers.js';

const TOL = 2e-5;
const FLAGS = [[false, false], [true, false], [false, true], [true, true]] as const;
const operand = (batch: number[], rows: number, cols: number, t: boolean) => [...batch, ...(t ? [cols, rows] : [rows, cols])];

describe.skipIf(skip)('native matmul equals cpu', () => {
  it('loads in CI (the native path is built and tested there)', () => {
    expect(status.available).toBe(true);
  });

  // [batchA, batchB, m, k, n]: micro-tile edges, K > the 256 block, folded and split batches, broadcast batch.
  const shapes: [number[], number[], number, number, number][] = [
    [[], [], 1, 1, 1], [[], [], 7, 19, 33], [[], [], 128, 784, 256], [[], [], 65, 300, 513], [[], [], 6, 1024, 16],
    [[3], [], 17, 23, 31], [[], [4], 9, 13, 5], [[5], [5], 12, 40, 18], [[2, 3], [2, 3], 8, 16, 24], [[64], [64], 64, 32, 64],
  ];
  for (const [ba, bb, m, k, n] of shapes) {
    for (const [ta, tb] of FLAGS) {
      it(`[${ba}]x[${bb}] ${m}x${k}x${n} transposeA=${ta} transposeB=${tb}`, async () => {
        const r = await onBoth(() => tf.matMul(rand(operand(ba, m, k, ta), 1), rand(operand(bb, k, n, tb), 2), ta, tb));
        expect(maxRelErr(r)).toBeLessThan(TOL);
      });
    }
  }

  for (const activation of ['linear', 'relu', 'relu6', 'sigmoid', 'elu', 'leakyrelu', 'prelu'] as const) {
    it(`fused matmul + bias + ${activation}, with its gradients`, async () => {
      const r = await onBoth(() => {
        const a = rand([2, 24, 37], 3);
        const b = rand([2, 37, 29], 4); // tfjs's fused-matmul gradient needs equal batch dims
        const bias = rand([29], 5);
        const prelu = activation === 'prelu' ? rand([29], 6) : undefined;
        const f = (x: tf.Tensor, w: tf.Tensor, c: tf.Tensor) =>
          tf.sum(tf.mul(tf.fused.matMul({ a: x as tf.Tensor3D, b: w as tf.Tensor3D, bias: c, activation, preluActivationWeights: prelu, leakyreluAlpha: 0.1 }), 3));
        return [tf.fused.matMul({ a, b: b as tf.Tensor3D, bias, activation, preluActivationWeights: prelu, leakyreluAlpha: 0.1 }), ...tf.grads(f)([a, b, bias])];
      });
      expect(maxRelErr(r)).toBeLessThan(TOL);
    });
  }

  it('falls back for int32 and leaks nothing', async () => {
    const r = await onBoth(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), tf.tensor2d([5, 6, 7, 8], [2, 2], 'int32')).toFloat());
    expect(maxRelErr(r)).toBe(0);
    const [before, after] = await expectNoLeak(() => tf.matMul(rand([3, 8, 9], 1), rand([3, 4, 9], 2), false, true));
    expect(after).toEqual(before);
  });
});
