import { describe, expect, it } from 'vitest';
import { DataError, NeurozooError } from '../../src/errors.js';
import {
  BOS,
  decodeTarget,
  encodeSource,
  encodeTarget,
  encodeWord,
  EOS,
  g2pVocab,
  PAD,
  padRows,
  Seq2SeqInputError,
  sourceSize,
  targetSize,
  wordSymbols,
} from '../../src/runtime/seq2seq-vocab.js';
import { DEFAULT_SEARCH_TOKENS } from '../../src/runtime/search.js';

const vocab = g2pVocab([..."'abcdegt"], ['AE', 'AH', 'B', 'D', 'G', 'K', 'T'], 6, 5);

describe('seq2seq vocabulary', () => {
  it('uses the ids the search expects: 0 padding, 1 BOS, 2 EOS, outputs from 3', () => {
    expect([PAD, BOS, EOS]).toEqual([0, 1, 2]);
    expect(DEFAULT_SEARCH_TOKENS).toEqual({ bos: BOS, eos: EOS, firstOutput: 3 });
    expect(sourceSize(vocab)).toBe(9);
    expect(targetSize(vocab)).toBe(10);
    expect(g2pVocab(['a'], ['A'])).toEqual({ source: ['a'], target: ['A'], maxSourceLength: 20, maxTargetLength: 24 });
  });

  it('round-trips words and phonemes', () => {
    expect(wordSymbols('  Cat ')).toEqual(['c', 'a', 't']);
    expect(Array.from(encodeWord(vocab, ' CAT'))).toEqual([4, 2, 8]);
    expect(encodeSource(vocab, ['c', 'a', 't'])).toEqual(encodeWord(vocab, 'cat'));
    const ids = encodeTarget(vocab, ['K', 'AE', 'T']);
    expect(ids).toEqual([8, 3, 9]);
    expect(decodeTarget(vocab, ids)).toEqual(['K', 'AE', 'T']);
    expect(decodeTarget(vocab, [EOS, 42])).toEqual(['<2>', '<42>']);
  });

  it('pads rows to the longest with PAD', () => {
    const { data, length } = padRows([Int32Array.from([4, 2, 9]), [5]]);
    expect(length).toBe(3);
    expect(Array.from(data)).toEqual([4, 2, 9, 5, 0, 0]);
  });

  it('throws Seq2SeqInputError (a DataError) saying what is wrong', () => {
    const error = (run: () => unknown): Seq2SeqInputError => {
      try {
        run();
      } catch (e) {
        return e as Seq2SeqInputError;
      }
      throw new Error('expected a throw');
    };
    const empty = error(() => encodeWord(vocab, '  '));
    expect(empty).toBeInstanceOf(Seq2SeqInputError);
    expect(empty).toBeInstanceOf(DataError);
    expect(empty).toBeInstanceOf(NeurozooError);
    expect(empty.name).toBe('Seq2SeqInputError');
    expect(empty.code).toBe('E_DATA');
    expect(empty.message).toBe('Empty input: give at least one symbol.');
    expect(() => encodeWord(vocab, 'Bed-Z')).toThrow(new Seq2SeqInputError(`'bed-z' has symbol(s) outside the vocabulary: "-", "z". Known: ' a b c d e g t`));
    expect(() => encodeWord(vocab, 'abcdega')).toThrow(new Seq2SeqInputError("'abcdega' has 7 symbols; this model accepts at most 6."));
    expect(() => encodeTarget(vocab, ['K', 'OW'])).toThrow(new Seq2SeqInputError("Unknown target symbol 'OW'. Known: AE AH B D G K T"));
    expect(() => encodeTarget(vocab, ['K', 'AE', 'T', 'AH', 'D', 'G'])).toThrow(
      new Seq2SeqInputError("'K AE T AH D G' has 6 symbols; this model decodes at most 5."),
    );
  });
});
