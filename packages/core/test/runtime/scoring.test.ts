import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { editDistance, errorRates } from '../../src/runtime/scoring.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance(['K', 'AE', 'T'], ['K', 'AH', 'T', 'S'])).toBe(2);
    expect(editDistance([], ['A'])).toBe(1);
    expect(editDistance(['A'], [])).toBe(1);
    expect(editDistance([], [])).toBe(0);
    expect(editDistance([...'kitten'], [...'sitting'])).toBe(3);
    expect(editDistance([...'flaw'], [...'lawn'])).toBe(2);
    expect(editDistance(['N', 'UH', 'R', 'AH', 'L'], ['N', 'UH', 'R', 'AH', 'L'])).toBe(0);
  });
});

describe('errorRates', () => {
  it('gives PER = edits / reference symbols and WER = wrong words / words', () => {
    const refs = [['K', 'AE', 'T'], ['D', 'AO', 'G']];
    expect(errorRates([['K', 'AE', 'T'], ['D', 'AO']], refs)).toEqual({ per: 1 / 6, wer: 0.5 });
    expect(errorRates(refs, refs)).toEqual({ per: 0, wer: 0 });
    expect(errorRates([['B', 'AE', 'D', 'Z'], []], refs)).toEqual({ per: 6 / 6, wer: 1 });
  });

  it('rejects unpaired or empty lists with a DataError', () => {
    expect(() => errorRates([], [])).toThrow(new DataError('Expected as many hypotheses as references (at least one); got 0 and 0'));
    expect(() => errorRates([['A']], [['A'], ['B']])).toThrow(DataError);
    expect(() => errorRates([['A']], [['A'], ['B']])).toThrow('Expected as many hypotheses as references (at least one); got 1 and 2');
  });
});
