/**
 * The word vocabulary of a sequence tagger (no tfjs: shared with `@neurozoo/rnn/runtime`).
 * Words are looked up lower-cased; a word the model does not know maps to one of a few
 * unknown-word classes chosen by its shape (digits, hyphen, capital, suffix), so the tagger
 * can still guess from the word's form. Training maps words seen fewer than `minCount` times
 * to the same classes, so their embeddings are learned.
 *
 * Ids: 0 = padding, then {@link UNKNOWN_WORD_CLASSES}, then the known words.
 */
import { DataError } from '@neurozoo/core/runtime';

/** Unknown-word classes, in the order {@link unknownWordClass} tries them. */
export const UNKNOWN_WORD_CLASSES = [
  '<unk>', '<unk-num>', '<unk-punct>', '<unk-hyphen>', '<unk-cap>',
  '<unk-ing>', '<unk-ed>', '<unk-ly>', '<unk-tion>', '<unk-ness>', '<unk-ment>', '<unk-able>', '<unk-ous>',
  '<unk-ive>', '<unk-ful>', '<unk-less>', '<unk-ic>', '<unk-al>', '<unk-est>', '<unk-er>', '<unk-s>',
] as const;

const SUFFIXES: [RegExp, string][] = [
  [/ing$/, '<unk-ing>'], [/ed$/, '<unk-ed>'], [/ly$/, '<unk-ly>'], [/[st]ion$/, '<unk-tion>'], [/ness$/, '<unk-ness>'],
  [/ment$/, '<unk-ment>'], [/[ai]ble$/, '<unk-able>'], [/ous$/, '<unk-ous>'], [/ive$/, '<unk-ive>'], [/ful$/, '<unk-ful>'],
  [/less$/, '<unk-less>'], [/ic$/, '<unk-ic>'], [/al$/, '<unk-al>'], [/est$/, '<unk-est>'], [/er$/, '<unk-er>'], [/s$/, '<unk-s>'],
];

/** The unknown-word class of `word` by its shape: digits, no letters, hyphen, capital, then suffix. */
export function unknownWordClass(word: string): string {
  if (/\d/.test(word)) return '<unk-num>';
  if (!/\p{L}/u.test(word)) return '<unk-punct>';
  if (word.includes('-')) return '<unk-hyphen>';
  if (/^\p{Lu}/u.test(word)) return '<unk-cap>';
  const lower = word.toLowerCase();
  for (const [re, cls] of SUFFIXES) if (re.test(lower)) return cls;
  return '<unk>';
}

/** A tagger's vocabulary, stored as the `vocab.json` of a trained folder. */
export interface TaggerVocab {
  /** '<pad>', the unknown-word classes, then the known words (lower-cased); id = index. */
  words: string[];
  /** Output tags; output class k is `tags[k]`. */
  tags: string[];
}

/** Bad input for a tagger: no words. */
export class TaggerInputError extends DataError {}

/** Builds the vocabulary from training words: lower-cased words seen at least `minCount` times are known. */
export function buildTaggerVocab(words: Iterable<string>, tags: readonly string[], minCount = 2): TaggerVocab {
  const counts = new Map<string, number>();
  for (const w of words) {
    const key = w.toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const known = [...counts].filter(([, n]) => n >= minCount).map(([w]) => w).sort();
  return { words: ['<pad>', ...UNKNOWN_WORD_CLASSES, ...known], tags: [...tags] };
}

/** A lookup of word -> id for one vocabulary (build it once per vocabulary). */
export function wordIndex(vocab: TaggerVocab): (word: string) => number {
  const ids = new Map(vocab.words.map((w, i) => [w, i]));
  return (word) => ids.get(word.toLowerCase()) ?? (ids.get(unknownWordClass(word)) as number);
}

/** Splits inputs on white space into words; throws TaggerInputError when there are none. */
export function sentenceWords(inputs: readonly string[]): string[] {
  const words = inputs.flatMap((s) => s.split(/\s+/)).filter(Boolean);
  if (words.length === 0) throw new TaggerInputError('Empty input: give at least one word to tag.');
  return words;
}
