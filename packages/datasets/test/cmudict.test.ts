import { describe, expect, it } from 'vitest';
import { loadCmudict } from '../src/index.js';

describe('cmudict', () => {
  it('loads a fixed seeded split of words with stressless phonemes', () => {
    const split = loadCmudict();
    const n = split.train.length + split.dev.length + split.test.length;
    expect(n).toBeGreaterThan(120_000);
    expect(split.test.length).toBe(Math.round(n * 0.05));
    expect(split.phonemes).toHaveLength(39);
    expect(split.graphemes).toEqual([..."'abcdefghijklmnopqrstuvwxyz"]);
    const words = new Set(split.train.map((p) => p.word));
    expect(split.test.some((p) => words.has(p.word))).toBe(false);
    expect(split.test.slice(0, 3)).toEqual(loadCmudict({ seed: 42, maxLength: 20 }).test.slice(0, 3));
    const again = loadCmudict({ seed: 7 });
    expect(again.test[0].word).not.toBe(split.test[0].word);
    const all = [...split.train, ...split.dev, ...split.test];
    expect(all.find((p) => p.word === 'cat')?.phonemes).toEqual(['K', 'AE', 'T']);
  });
});
