import { describe, expect, it } from 'vitest';
import {
  BROWN_UNIVERSAL_TAGS,
  DatasetError,
  loadBrownPos,
  loadBrownTagged,
  loadCmudict,
  loadCmudictDataset,
  loadDataset,
  parseTaggedBrown,
  take,
  universalTag,
  validateDataset,
} from '../src/index.js';

describe('brown tagged sentences', () => {
  it('maps Brown tags and their variants to the 12 universal-style tags', () => {
    const cases: [string, string][] = [
      ['nn', 'NOUN'], ['np-tl', 'NOUN'], ['nns$', 'NOUN'], ['pn', 'NOUN'], ['vbd', 'VERB'], ['bez*', 'VERB'], ['md', 'VERB'],
      ['jj-hl', 'ADJ'], ['od', 'ADJ'], ['*', 'ADV'], ['ql', 'ADV'], ['pps+bez', 'PRON'], ['pp$$', 'PRON'], ['pp$', 'DET'],
      ['at', 'DET'], ['in', 'ADP'], ['cs', 'ADP'], ['cd', 'NUM'], ['cc', 'CONJ'], ['to', 'PRT'], ['rp', 'PRT'],
      ['``', '.'], ['--', '.'], ['fw-nn', 'X'], ['uh', 'X'], ['NN-TL', 'NOUN'],
    ];
    for (const [brown, tag] of cases) expect(universalTag(brown), brown).toBe(tag);
    expect(() => universalTag('zz')).toThrow("Unknown Brown tag 'zz': expected one of the Brown corpus tags (e.g. nn, vbd, at, np-tl, pps+bez)");
  });

  it('parses word/tag lines into sentences, words kept as written', () => {
    const [s] = parseTaggedBrown("\n\n\tThe/at jury/nn said/vbd ``/`` 1/2/cd ''/'' ./.\n", 'ca01');
    expect(s.words).toEqual(['The', 'jury', 'said', '``', '1/2', "''", '.']);
    expect(s.tags).toEqual(['DET', 'NOUN', 'VERB', '.', 'NUM', '.', '.']);
    expect(() => parseTaggedBrown('word', 'ca02')).toThrow("ca02: token 'word' is not word/tag");
  });

  it('splits the 500 texts by file: every tenth is held out, no file in both', () => {
    const { train, test, trainFiles, testFiles, tags } = loadBrownTagged();
    expect([trainFiles.length, testFiles.length]).toEqual([450, 50]);
    expect(testFiles.slice(0, 2)).toEqual(['ca10', 'ca20']);
    expect(trainFiles.filter((f) => testFiles.includes(f))).toEqual([]);
    expect(new Set(test.map((s) => s.file)).size).toBe(50);
    const tokens = (ss: typeof train) => ss.reduce((a, s) => a + s.words.length, 0);
    expect(tokens(train) + tokens(test)).toBe(1161192);
    expect(train.length + test.length).toBe(57340);
    expect(tokens(test)).toBeGreaterThan(100_000);
    expect(train[0].words.slice(0, 3)).toEqual(['The', 'Fulton', 'County']);
    expect(train[0].tags.slice(0, 3)).toEqual(['DET', 'NOUN', 'NOUN']);
    expect(tags).toEqual(BROWN_UNIVERSAL_TAGS);
    const seen = new Set(train.flatMap((s) => s.tags));
    expect([...seen].sort()).toEqual([...BROWN_UNIVERSAL_TAGS].sort());
  });

  it("loadDataset('brown-pos'): padded word ids and tag ids with their names", () => {
    const { train, test } = loadDataset('brown-pos');
    const sentences = loadBrownTagged();
    expect(train.xShape).toEqual([sentences.train.length, 180]);
    expect(train.yShape).toEqual(train.xShape);
    expect(test.xShape).toEqual([sentences.test.length, 180]);
    expect(train.classNames).toEqual(['<pad>', ...BROWN_UNIVERSAL_TAGS]);
    expect(train.numClasses).toBe(13);
    const names = train.inputNames as string[];
    expect(names[0]).toBe('<pad>');
    expect(test.inputNames).toBe(names);
    const s = sentences.test[3];
    const L = 180;
    const row = Array.from(test.x.subarray(3 * L, 4 * L));
    expect(row.slice(0, s.words.length).map((id) => names[id])).toEqual(s.words);
    expect(row.slice(s.words.length).every((id) => id === 0)).toBe(true);
    expect(Array.from(test.y.subarray(3 * L, 3 * L + s.words.length), (id) => train.classNames?.[id])).toEqual(s.tags);
    validateDataset(take(train, 100));
    const small = loadBrownPos({ maxSentences: 10 });
    expect(small.train.xShape[0]).toBe(10);
    expect(() => loadBrownPos({ maxSentences: 0 })).toThrow('maxSentences must be a positive integer, got 0');
  });
});

describe("loadDataset('cmudict')", () => {
  it('encodes the fixed split: letters in, phonemes out, 0-padded', () => {
    const { train, test } = loadDataset('cmudict');
    const pairs = loadCmudict();
    expect(train.xShape).toEqual([pairs.train.length, 20]);
    expect(test.xShape[0]).toBe(pairs.test.length);
    const T = train.yShape?.[1] as number;
    expect(test.yShape).toEqual([pairs.test.length, T]);
    expect(train.inputNames).toEqual(['<pad>', ...pairs.graphemes]);
    expect(train.classNames).toEqual(['<pad>', ...pairs.phonemes]);
    const p = pairs.test[5];
    const letters = Array.from(test.x.subarray(5 * 20, 6 * 20)).filter((id) => id > 0).map((id) => test.inputNames?.[id]).join('');
    expect(letters).toBe(p.word);
    const phonemes = Array.from(test.y.subarray(5 * T, 6 * T)).filter((id) => id > 0).map((id) => test.classNames?.[id]);
    expect(phonemes).toEqual(p.phonemes);
    validateDataset(take(train, 500));
    expect(loadCmudictDataset()).not.toBe(undefined);
  });

  it('take keeps sequence targets whole', () => {
    const { test } = loadDataset('cmudict');
    const T = test.yShape?.[1] as number;
    const five = take(test, 5);
    expect(five.yShape).toEqual([5, T]);
    expect(five.y).toHaveLength(5 * T);
    expect(() => validateDataset({ ...five, y: five.y.subarray(0, 5) })).toThrow(DatasetError);
  });
});
