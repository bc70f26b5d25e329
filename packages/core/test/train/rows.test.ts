import { describe, expect, it } from 'vitest';
import { gatherRows } from '../../src/train/index.js';

describe('gatherRows', () => {
  const matrix = Float32Array.from({ length: 4 * 3 }, (_, i) => i); // rows [0 1 2] [3 4 5] [6 7 8] [9 10 11]

  it('copies the listed rows in order, repeats included', () => {
    expect(Array.from(gatherRows(matrix, 3, [2, 0, 2]))).toEqual([6, 7, 8, 0, 1, 2, 6, 7, 8]);
  });

  it('takes the slice [from, to) of the row list (a minibatch of a shuffled order)', () => {
    expect(Array.from(gatherRows(matrix, 3, Int32Array.of(3, 1, 0, 2), 1, 3))).toEqual([3, 4, 5, 0, 1, 2]);
    expect(gatherRows(matrix, 3, [1, 2], 1, 1)).toEqual(new Float32Array(0));
  });

  it('returns a copy, not a view of the source', () => {
    const out = gatherRows(matrix, 3, [0]);
    out[0] = 42;
    expect(matrix[0]).toBe(0);
  });
});
