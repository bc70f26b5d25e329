import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random.js';
import { lengthBatches, sourceLengthBatches, teacherForcing } from '../../src/train/sequences.js';

describe('lengthBatches', () => {
  const lengths = [3, 5, 3, 3, 5, 7, 3, 5, 3, 1];

  it('puts every index in exactly one batch of equal lengths, at most batchSize long', () => {
    const batches = lengthBatches(lengths, 2, new Rng(4));
    expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    for (const b of batches) {
      expect(b.length).toBeGreaterThan(0);
      expect(b.length).toBeLessThanOrEqual(2);
      expect(new Set(b.map((i) => lengths[i])).size).toBe(1);
    }
    // 5 of length 3 -> 3 batches, 3 of length 5 -> 2, one each of 7 and 1.
    expect(batches.length).toBe(7);
  });

  it('repeats for the same seed and shuffles for another', () => {
    expect(lengthBatches(lengths, 2, new Rng(4))).toEqual(lengthBatches(lengths, 2, new Rng(4)));
    const orders = new Set([1, 2, 3, 4, 5].map((s) => JSON.stringify(lengthBatches(lengths, 2, new Rng(s)))));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('gives no batches for no items', () => {
    expect(lengthBatches([], 4, new Rng(0))).toEqual([]);
  });
});

describe('sourceLengthBatches', () => {
  it('batches the examples themselves as lengthBatches batches their source lengths', () => {
    const examples = [3, 5, 3, 1, 5].map((n, i) => ({ source: new Int32Array(n), target: [i] }));
    const batches = sourceLengthBatches(examples, 2, new Rng(7));
    const indices = lengthBatches([3, 5, 3, 1, 5], 2, new Rng(7));
    expect(batches).toEqual(indices.map((b) => b.map((k) => examples[k])));
    for (const b of batches) expect(new Set(b.map((e) => e.source.length)).size).toBe(1);
  });
});

describe('teacherForcing', () => {
  it('shifts the target by one behind the start token and masks the padding', () => {
    const b = teacherForcing(
      [
        { source: Int32Array.of(5, 6), target: [7, 8] },
        { source: Int32Array.of(9), target: [10] },
      ],
      { start: 1, end: 2, pad: 0 },
    );
    expect([b.B, b.S, b.T]).toEqual([2, 2, 3]);
    expect(Array.from(b.source)).toEqual([5, 6, 9, 0]);
    expect(Array.from(b.input)).toEqual([1, 7, 8, 1, 10, 0]);
    expect(Array.from(b.target)).toEqual([7, 8, 2, 10, 2, 0]);
    expect(Array.from(b.mask)).toEqual([1, 1, 1, 1, 1, 0]);
  });
});
