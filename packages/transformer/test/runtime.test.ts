import { describe, expect, it } from 'vitest';
import { CharVocabulary, checkSampling, nextWindowStart } from '../src/runtime/index.js';

describe('runtime helpers', () => {
  it('CharVocabulary maps characters to their positions, unknown ones to unknownId, and back', () => {
    const vocab = new CharVocabulary([' ', 'a', 'b'], 0);
    expect(vocab.encode('ab?a')).toEqual([1, 2, 0, 1]);
    expect(vocab.decode([2, 1, 0, 7])).toBe('ba ');
  });

  it('nextWindowStart keeps the window until it fills the context, then keeps its newest half', () => {
    expect(nextWindowStart(0, 5, 8)).toBe(0);
    expect(nextWindowStart(0, 8, 8)).toBe(4);
    expect(nextWindowStart(4, 11, 8)).toBe(4);
    expect(nextWindowStart(4, 12, 8)).toBe(8);
  });

  it('checkSampling names the bad option and what it got', () => {
    expect(() => checkSampling({ temperature: 0.5, topK: 3, topP: 0.9 })).not.toThrow();
    expect(() => checkSampling({ temperature: -1 })).toThrow(new RangeError('temperature must be >= 0, got -1'));
    expect(() => checkSampling({ topK: 1.5 })).toThrow(new RangeError('topK must be an integer >= 0, got 1.5'));
    expect(() => checkSampling({ topP: 0 })).toThrow(new RangeError('topP must be in (0, 1], got 0'));
  });
});
