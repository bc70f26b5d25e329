import { BROWN_VOCABULARY, brownText, encodeBrown } from '@neurozoo/datasets';
import { describe, expect, it } from 'vitest';
import { CharNgram, tuneAddK } from '../src/ngram.js';

describe('CharNgram (add-k baseline)', () => {
  it('gives the add-k probabilities by hand on a tiny sequence', () => {
    // vocabulary {0,1}; bigrams of 0 1 0 1 0: contexts (start),0,1,0,1 -> next 0,1,0,1,0
    const lm = new CharNgram(2, { order: 2, k: 1 }).fit([0, 1, 0, 1, 0]);
    // P(1 | 0) = (2 + 1) / (2 + 2), P(0 | 1) = (2 + 1) / (2 + 2), P(0 | start) = (1 + 1) / (1 + 2)
    const expected = -(Math.log2(2 / 3) + Math.log2(3 / 4) * 4) / 5;
    expect(lm.bitsPerToken([0, 1, 0, 1, 0])).toBeCloseTo(expected, 12);
    // unseen text is uniform where the context was never seen: P = k / (k V) = 1/2 -> 1 bit
    expect(new CharNgram(2, { order: 2, k: 1 }).bitsPerToken([1, 1, 1])).toBeCloseTo(1, 12);
  });

  it('on Brown: higher orders help, k is tuned on held-out text, and the 5-gram is far below uniform', () => {
    const { train } = brownText();
    const ids = encodeBrown(train.slice(0, 600_000));
    const fitPart = ids.subarray(0, 500_000);
    const heldOut = ids.subarray(500_000);
    const bits = [1, 3, 5].map((order) => new CharNgram(96, { order }).fit(fitPart).bitsPerToken(heldOut, 0.01));
    expect(bits[1]).toBeLessThan(bits[0]);
    const five = new CharNgram(BROWN_VOCABULARY.length).fit(fitPart);
    const tuned = tuneAddK(five, heldOut);
    expect(five.k).toBe(tuned.k);
    expect(tuned.bits[tuned.k]).toBe(Math.min(...Object.values(tuned.bits)));
    expect(tuned.bits[tuned.k]).toBeLessThan(Math.log2(96) / 2);
  });

  it('rejects ids outside the vocabulary and unsafe orders with clear messages', () => {
    expect(() => new CharNgram(4).fit([0, 1, 7])).toThrow('token 7 at position 2 is outside the vocabulary [0, 4)');
    expect(() => new CharNgram(96, { order: 9 })).toThrow('vocabSize 96 ** order 9 exceeds 2^53: use a lower order');
    expect(() => new CharNgram(96, { k: 0 })).toThrow('k must be > 0, got 0');
  });
});
