/**
 * Token vocabularies of the encoder-decoder (no tfjs: shared with `@neurozoo/rnn/runtime`).
 * Source ids: 0 = padding, then one id per source symbol. Target ids: 0 = padding,
 * 1 = start (BOS), 2 = end (EOS), then one id per target symbol.
 */

/** Target id of the start token fed to the decoder's first step. */
export const BOS = 1;
/** Target id that ends decoding. */
export const EOS = 2;

/** The two vocabularies and the longest source the model accepts (stored as vocab.json). */
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

/** Bad input for a seq2seq model: empty, too long, or with unknown symbols. */
export class Seq2SeqInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Seq2SeqInputError';
  }
}

/**
 * Source symbols -> ids, with clear errors for empty input, sequences longer than
 * `maxSourceLength` and symbols outside the vocabulary.
 */
export function encodeSource(vocab: Seq2SeqVocab, symbols: readonly string[]): Int32Array {
  const shown = symbols.join('');
  if (symbols.length === 0) throw new Seq2SeqInputError('Empty input: give at least one symbol.');
  if (symbols.length > vocab.maxSourceLength) {
    throw new Seq2SeqInputError(`'${shown}' has ${symbols.length} symbols; this model accepts at most ${vocab.maxSourceLength}.`);
  }
  const unknown = [...new Set(symbols.filter((s) => !vocab.source.includes(s)))];
  if (unknown.length > 0) {
    throw new Seq2SeqInputError(
      `'${shown}' has symbol(s) outside the vocabulary: ${unknown.map((s) => JSON.stringify(s)).join(', ')}. Known: ${vocab.source.join(' ')}`,
    );
  }
  return Int32Array.from(symbols, (s) => vocab.source.indexOf(s) + 1);
}

/** A word as the source symbols of a grapheme-to-phoneme model (lower-cased letters). */
export function wordSymbols(word: string): string[] {
  return [...word.trim().toLowerCase()];
}

/** Target ids (without BOS/EOS) -> symbols. */
export function decodeTarget(vocab: Seq2SeqVocab, ids: readonly number[]): string[] {
  return ids.map((id) => vocab.target[id - 3] ?? `<${id}>`);
}

/** Target symbols -> ids (throws for an unknown symbol). */
export function encodeTarget(vocab: Seq2SeqVocab, symbols: readonly string[]): number[] {
  return symbols.map((s) => {
    const i = vocab.target.indexOf(s);
    if (i < 0) throw new Seq2SeqInputError(`Unknown target symbol '${s}'.`);
    return i + 3;
  });
}

/** Size of the target vocabulary including padding, BOS and EOS. */
export const targetSize = (vocab: Seq2SeqVocab): number => vocab.target.length + 3;
/** Size of the source vocabulary including padding. */
export const sourceSize = (vocab: Seq2SeqVocab): number => vocab.source.length + 1;
