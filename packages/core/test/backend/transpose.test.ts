/** The wasm Transpose wrapper (JS copy above rank 4, collapsed axes below) against the cpu backend. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { collapseTranspose } from '../../src/backend/kernels/Transpose.js';
import { tf } from '../../src/tf.js';
import { liveCounts, onBoth, rand } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** Every permutation of 0..n-1. */
function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

const exact = (r: { cpu: Float32Array[]; wasm: Float32Array[] }) => {
  expect(r.wasm.length).toBe(r.cpu.length);
  for (let i = 0; i < r.cpu.length; i++) expect(Array.from(r.wasm[i])).toEqual(Array.from(r.cpu[i]));
};

describe('collapseTranspose', () => {
  it('drops size-1 axes and merges axes that stay adjacent', () => {
    expect(collapseTranspose([2, 3, 4, 5, 6], [0, 1, 2, 3, 4])).toEqual({ shape: [720], perm: [0] });
    expect(collapseTranspose([2, 3, 4, 5, 6], [3, 4, 0, 1, 2])).toEqual({ shape: [24, 30], perm: [1, 0] });
    expect(collapseTranspose([32, 64, 3, 2, 32], [2, 0, 3, 1, 4])).toEqual({ shape: [32, 64, 3, 2, 32], perm: [2, 0, 3, 1, 4] });
    expect(collapseTranspose([2, 1, 3, 1, 4], [4, 3, 2, 1, 0])).toEqual({ shape: [2, 3, 4], perm: [2, 1, 0] });
    expect(collapseTranspose([1, 1], [1, 0])).toEqual({ shape: [], perm: [] });
    expect(collapseTranspose([2, 3, 1, 4], [0, 2, 1, 3])).toEqual({ shape: [24], perm: [0] });
  });
});

describe('Transpose on wasm equals cpu', () => {
  // Every permutation at rank 5 (JS copy unless axes merge), a sample at rank 6, size-1 axes.
  const shapes5: number[][] = [[2, 3, 4, 5, 3], [3, 1, 4, 2, 5]];
  for (const shape of shapes5) {
    it(`[${shape}], all 120 permutations`, async () => {
      const perms = permutations(5);
      const r = await onBoth(() => { const x = rand(shape, 1); return perms.map((p) => tf.transpose(x, p)); });
      exact(r);
    });
  }
  const cases: [number[], number[]][] = [
    [[32, 16, 3, 2, 8], [2, 0, 3, 1, 4]], // attention qkv split
    [[3, 4, 2, 5, 6], [1, 3, 0, 2, 4]],
    [[2, 3, 2, 3, 2, 3], [5, 4, 3, 2, 1, 0]],
    [[2, 3, 2, 3, 2, 3], [1, 0, 3, 2, 5, 4]],
    [[2, 2, 3, 2, 2, 3, 2], [6, 0, 5, 1, 4, 2, 3]],
    [[4, 5, 6], [2, 0, 1]],
    [[7, 9], [1, 0]],
    [[2, 3, 4, 5], [0, 1, 3, 2]],
    [[2, 1, 3, 1, 4, 1], [5, 4, 3, 2, 1, 0]],
    [[1, 1, 1, 1, 1], [4, 3, 2, 1, 0]],
    [[0, 2, 3, 4, 5], [4, 3, 2, 1, 0]],
  ];
  for (const [shape, perm] of cases) {
    it(`[${shape}] perm [${perm}]`, async () => {
      exact(await onBoth(() => tf.transpose(rand(shape, 2), perm)));
      const x = rand(shape, 3);
      tf.dispose(tf.transpose(x, perm));
      const before = liveCounts();
      tf.dispose(tf.transpose(x, perm));
      expect(liveCounts()).toEqual(before);
      x.dispose();
    });
  }

  it('int32 and bool tensors', async () => {
    const shape = [2, 3, 2, 3, 2];
    const perm = [4, 2, 0, 3, 1];
    const n = shape.reduce((p, d) => p * d, 1);
    const r = await onBoth(() => [
      tf.cast(tf.transpose(tf.tensor(Array.from({ length: n }, (_, i) => i - 30), shape, 'int32'), perm), 'float32'),
      tf.cast(tf.transpose(tf.tensor(Array.from({ length: n }, (_, i) => i % 3 === 0), shape, 'bool'), perm), 'float32'),
    ]);
    exact(r);
  });

  it('the gradient of a rank-5 transpose', async () => {
    const r = await onBoth(() => {
      const w = rand([3, 4, 2, 5, 6], 5);
      return tf.grads((x: tf.Tensor) => tf.sum(tf.mul(tf.transpose(x, [2, 0, 3, 1, 4]), w)))([rand([4, 5, 3, 2, 6], 4)]);
    });
    exact(r);
  });
});
