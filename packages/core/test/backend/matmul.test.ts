/** The BatchMatMul / _FusedMatMul wrappers on wasm against the cpu backend. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { splitPays } from '../../src/backend/kernels/BatchMatMul.js';
import { tf } from '../../src/tf.js';
import { liveCounts, maxRelErr, onBoth, rand } from './helpers.js';

const TOL = 1e-5;
const FLAGS = [[false, false], [true, false], [false, true], [true, true]] as const;

/** Shape of an operand that, after the optional transpose, is [...batch, rows, cols]. */
const operand = (batch: number[], rows: number, cols: number, t: boolean) => [...batch, ...(t ? [cols, rows] : [rows, cols])];

/** Runs `fn` on wasm once more and checks no tensor or wasm buffer outlives it. */
function expectNoLeak(fn: () => tf.Tensor): void {
  tf.dispose(tf.tidy(fn)); // warm-up: first calls may allocate lazily
  const before = liveCounts();
  tf.dispose(tf.tidy(fn));
  expect(liveCounts()).toEqual(before);
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('BatchMatMul on wasm equals cpu', () => {
  // [batchA, batchB, m, k, n]: unbatched, folded (b unbatched), split (both batched, or a
  // unbatched), rank-4 with broadcast batch dims, and products too small to split.
  const shapes: [number[], number[], number, number, number][] = [
    [[], [], 37, 53, 29],
    [[], [], 128, 96, 64],
    [[4], [1], 33, 40, 21],
    [[3, 2], [], 20, 30, 40],
    [[4], [4], 33, 40, 21],
    [[1], [5], 24, 32, 40],
    [[2, 3], [3], 16, 24, 32],
    [[2, 3], [1, 3], 16, 24, 32],
    [[6], [6], 4, 5, 6],
    [[6], [1], 4, 5, 6],
    // Attention-like batches (batch x heads, seq, head dim) and the split rule's edges:
    // mat-vecs (m or n of 1) stay in wasm's loop, an outer product (k of 1) is split.
    [[2, 8], [2, 8], 32, 16, 32],
    [[24], [24], 20, 24, 24],
    [[8], [8], 1, 20, 64],
    [[8], [8], 20, 64, 1],
    [[8], [8], 20, 1, 64],
    [[5], [5], 12, 80, 10],
  ];
  for (const [ba, bb, m, k, n] of shapes) {
    for (const [ta, tb] of FLAGS) {
      it(`[${ba}] x [${bb}], ${m}x${k}x${n}, transposeA ${ta}, transposeB ${tb}`, async () => {
        const f = () => tf.matMul(rand(operand(ba, m, k, ta), 1), rand(operand(bb, k, n, tb), 2), ta, tb);
        const r = await onBoth(f);
        expect(maxRelErr(r)).toBeLessThan(TOL);
        expectNoLeak(f);
      });
    }
  }

  it('the split rule: split where an XNNPACK product per item beats the batched loop', () => {
    expect(splitPays(64, 32, 64)).toBe(true); // attention scores
    expect(splitPays(32, 16, 32)).toBe(true);
    expect(splitPays(20, 1, 64)).toBe(true); // outer product
    expect(splitPays(24, 24, 24)).toBe(true);
    expect(splitPays(16, 16, 16)).toBe(false); // small: the loop is faster
    expect(splitPays(1, 20, 64)).toBe(false); // mat-vec
    expect(splitPays(20, 64, 1)).toBe(false);
    expect(splitPays(12, 80, 10)).toBe(true);
    expect(splitPays(4, 5, 6)).toBe(false);
  });

  it('attention gradients through batched matMuls (scores and context)', async () => {
    const r = await onBoth(() => {
      const [q, k, v, w] = [rand([2, 3, 24, 16], 1), rand([2, 3, 24, 16], 2), rand([2, 3, 24, 16], 3), rand([2, 3, 24, 16], 4)];
      const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.mul(tf.matMul(tf.softmax(tf.matMul(a, b, false, true)), c), w));
      return tf.grads(loss)([q, k, v]);
    });
    expect(maxRelErr(r)).toBeLessThan(TOL);
  });

  it('gradients of matMul (the transposed products training runs)', async () => {
    const r = await onBoth(() => {
      const [a, b, w] = [rand([64, 48], 1), rand([48, 32], 2), rand([64, 32], 3)];
      return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y), w)))([a, b]);
    });
    expect(maxRelErr(r)).toBeLessThan(TOL);
  });

  it('leaves int32 inputs to the original kernel (and its error)', () => {
    expect(() => tf.matMul(tf.ones([2, 2], 'int32'), tf.ones([2, 2], 'int32'), true)).toThrow(/non-float32/);
  });
});

describe('_FusedMatMul on wasm equals cpu', () => {
  // Stock wasm gets every batch > 1 case wrong; the wrapper folds or splits them.
  const cases: [number, number, string, boolean][] = [
    [1, 1, 'relu', false],
    [4, 1, 'linear', false],
    [4, 1, 'prelu', true],
    [3, 3, 'elu', false],
    [1, 3, 'sigmoid', false],
    [2, 2, 'leakyrelu', false],
  ];
  for (const [ba, bb, activation, prelu] of cases) {
    for (const [ta, tb] of FLAGS) {
      it(`batch ${ba}x${bb}, ${activation}, transposeA ${ta}, transposeB ${tb}`, async () => {
        const [m, k, n] = [24, 36, 20];
        const f = () => tf.fused.matMul({
          a: rand(operand([ba], m, k, ta), 1) as tf.Tensor3D,
          b: rand(operand([bb], k, n, tb), 2) as tf.Tensor3D,
          transposeA: ta,
          transposeB: tb,
          bias: rand([n], 3),
          activation: activation as tf.fused.Activation,
          preluActivationWeights: prelu ? rand([n], 4) : undefined,
        });
        const r = await onBoth(f);
        expect(maxRelErr(r)).toBeLessThan(TOL);
        expectNoLeak(f);
      });
    }
  }

  it('dense layer gradients through fused matmul', async () => {
    const r = await onBoth(() => {
      const [x, w, bias] = [rand([16, 30], 1), rand([30, 12], 2), rand([12], 3)];
      const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.square(tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: 'relu' })));
      return tf.grads(loss)([x, w, bias]);
    });
    expect(maxRelErr(r)).toBeLessThan(TOL);
  });
});
