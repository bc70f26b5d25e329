/**
 * The vocabulary of neurozoo's encoder-decoders (rnn seq2seq, transformer G2P): shared by the
 * tfjs models and the onnxruntime decoders, so vocab.json files of both families compare.
 * Source ids: 0 = padding, then one id per source symbol (letter). Target ids: 0 = padding,
 * 1 = start (BOS), 2 = end (EOS), then one id per target symbol (phoneme), as
 * {@link DEFAULT_SEARCH_TOKENS} expects.
 */
import { DataError } from '../errors.js';

/** Source and target id of padding. */
export const PAD = 0;
/** Target id of the start token fed to the decoder's first step. */
export const BOS = 1;
/** Target id that ends decoding. */
export const EOS = 2;

/** The two vocabularies and the longest sequences the model accepts (stored as vocab.json). */
export interface Seq2SeqVocab {
  /** Source symbols (e.g. letters); id = index + 1. */
  source: string[];
  /** Target symbols (e.g. ARPAbet phonemes); id = index + 3. */
  target: string[];
  /** Longest source sequence accepted. */
  maxSourceLength: number;
  /** Longest target sequence decoded (without EOS). */
  maxTargetLength: number;
}

/** Bad input for an encoder-decoder: empty, too long, or with symbols outside the vocabulary. */
export class Seq2SeqInputError extends DataError {}

/** The vocabulary of a grapheme-to-phoneme model: letters in, phonemes out (defaults: 20 letters, 24 phonemes). */
export function g2pVocab(graphemes: readonly string[], phonemes: readonly string[], maxSourceLength = 20, maxTargetLength = 24): Seq2SeqVocab {
  return { source: [...graphemes], target: [...phonemes], maxSourceLength, maxTargetLength };
}

/** A word as source symbols: trimmed, lower-cased letters. */
export function wordSymbols(word: string): string[] {
  return [...word.trim().toLowerCase()];
}

/**
 * Source symbols -> ids. Throws {@link Seq2SeqInputError} for empty input ("Empty input: give at
 * least one symbol."), input longer than `maxSourceLength` and symbols outside the vocabulary.
 */
export function encodeSource(vocab: Seq2SeqVocab, symbols: readonly string[]): Int32Array {
  const shown = symbols.join('');
  if (symbols.length === 0) throw new Seq2SeqInputError('Empty input: give at least one symbol.');
  if (symbols.length > vocab.maxSourceLength) {
    throw new Seq2SeqInputError(`'${shown}' has ${symbols.length} symbols; this model accepts at most ${vocab.maxSourceLength}.`);
  }
  const unknown = [...new Set(symbols.filter((s) => !vocab.source.includes(s)))];
  if (unknown.length > 0) {
    throw new Seq2SeqInputError(`'${shown}' has symbol(s) outside the vocabulary: ${unknown.map((s) => JSON.stringify(s)).join(', ')}. Known: ${vocab.source.join(' ')}`);
  }
  return Int32Array.from(symbols, (s) => vocab.source.indexOf(s) + 1);
}

/** A word -> source ids ({@link wordSymbols} then {@link encodeSource}). */
export function encodeWord(vocab: Seq2SeqVocab, word: string): Int32Array {
  return encodeSource(vocab, wordSymbols(word));
}

/** Target symbols -> ids without BOS/EOS; throws {@link Seq2SeqInputError} for an unknown symbol or a too long sequence. */
export function encodeTarget(vocab: Seq2SeqVocab, symbols: readonly string[]): number[] {
  if (symbols.length > vocab.maxTargetLength) {
    throw new Seq2SeqInputError(`'${symbols.join(' ')}' has ${symbols.length} symbols; this model decodes at most ${vocab.maxTargetLength}.`);
  }
  return symbols.map((s) => {
    const i = vocab.target.indexOf(s);
    if (i < 0) throw new Seq2SeqInputError(`Unknown target symbol '${s}'. Known: ${vocab.target.join(' ')}`);
    return i + 3;
  });
}

/** Target ids (without BOS/EOS) -> symbols; an id outside the vocabulary shows as `<id>`. */
export function decodeTarget(vocab: Seq2SeqVocab, ids: readonly number[]): string[] {
  return ids.map((id) => vocab.target[id - 3] ?? `<${id}>`);
}

/** Size of the source vocabulary including padding. */
export const sourceSize = (vocab: Seq2SeqVocab): number => vocab.source.length + 1;
/** Size of the target vocabulary including padding, BOS and EOS. */
export const targetSize = (vocab: Seq2SeqVocab): number => vocab.target.length + 3;

/** Source rows padded with {@link PAD} to the longest: data [rows, length] row-major. */
export function padRows(rows: readonly ArrayLike<number>[]): { data: Float32Array; length: number } {
  const length = rows.reduce((a, r) => Math.max(a, r.length), 0);
  const data = new Float32Array(rows.length * length);
  rows.forEach((r, i) => data.set(Array.from(r), i * length));
  return { data, length };
}
