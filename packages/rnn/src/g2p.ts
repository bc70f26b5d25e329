/**
 * Grapheme-to-phoneme helpers around {@link Seq2Seq}: the vocabulary and training pairs from
 * word/phoneme pairs (e.g. `loadCmudict()` of @neurozoo/datasets), and tfjs prediction with
 * greedy or beam search.
 */
import { decodeTarget, encodeSource, encodeTarget, type Seq2SeqVocab, wordSymbols } from '@neurozoo/core/runtime';
import type { Seq2Seq } from './builders/seq2seq.js';
import { beamDecode, type Decoded } from './runtime/search.js';
import type { Seq2SeqExample } from './train/seq2seq.js';

/** A word and its phonemes. */
export interface WordPronunciation {
  word: string;
  phonemes: readonly string[];
}

/** Training pairs: letter ids -> phoneme ids. */
export function g2pExamples(vocab: Seq2SeqVocab, pairs: readonly WordPronunciation[]): Seq2SeqExample[] {
  return pairs.map((p) => ({ source: encodeSource(vocab, wordSymbols(p.word)), target: encodeTarget(vocab, p.phonemes) }));
}

/** A tfjs prediction: phonemes, ids, log-probability, attention per output step. */
export interface G2PPrediction extends Decoded {
  symbols: string[];
}

/**
 * Pronounces `words` with the tfjs model: greedy (beam 1, batched by word length) or beam
 * search one word at a time. Throws Seq2SeqInputError for empty, too long or unknown input.
 */
export async function predictWords(model: Seq2Seq, words: readonly string[], options: { beam?: number } = {}): Promise<G2PPrediction[]> {
  const sources = words.map((w) => encodeSource(model.vocab, wordSymbols(w)));
  const width = options.beam ?? 1;
  let decoded: Decoded[];
  if (width <= 1) decoded = await model.greedy(sources);
  else {
    decoded = [];
    for (const s of sources) {
      const [best] = await model.withEncoding(s, 1, (step, h0, c0) => beamDecode(step, h0, c0, width, model.vocab.maxTargetLength));
      decoded.push(best);
    }
  }
  return decoded.map((d) => ({ ...d, symbols: decodeTarget(model.vocab, d.ids) }));
}
