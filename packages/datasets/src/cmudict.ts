/**
 * The CMU Pronouncing Dictionary (npm cmu-pronouncing-dictionary) as a grapheme-to-phoneme
 * task: each word's first pronunciation and a fixed seeded train/dev/test split of the words.
 * Score predictions with `errorRates` (PER, WER) of `@neurozoo/core/runtime`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { dataError, optionError } from './errors.js';
import { permutation } from './split.js';
import type { Dataset, Split } from './types.js';

/** One word and its pronunciation (ARPAbet phonemes, stress digits removed by default; '# comments' dropped). */
export interface G2PPair {
  word: string;
  phonemes: string[];
}

/** What {@link loadCmudict} returns. */
export interface G2PSplit {
  train: G2PPair[];
  dev: G2PPair[];
  test: G2PPair[];
  /** Every character of the kept words, sorted. */
  graphemes: string[];
  /** Every phoneme, sorted. */
  phonemes: string[];
  source: string;
}

/** Options of {@link loadCmudict}. */
export interface CmudictOptions {
  /** Seed of the split (default 42: the fixed split). */
  seed?: number;
  /** Fraction of the words in dev and in test (default 0.05 each). */
  devFraction?: number;
  testFraction?: number;
  /** Longest word kept (default 20 characters). */
  maxLength?: number;
  /** Keep the stress digits (AH0, AH1, ...; default false: 39 phonemes). */
  keepStress?: boolean;
}

/** Words kept: lower-case letters and apostrophes; alternates like `word(2)` are dropped. */
const WORD = /^[a-z']+$/;
const cache = new Map<string, G2PSplit>();

/** Reads the dictionary object from the package's index.js (an ES module holding one object literal). */
function readDictionary(): { entries: Record<string, string>; path: string } {
  let path: string;
  try {
    const here = import.meta.url; // tsup's shims give CommonJS builds an import.meta.url too
    path = join(dirname(createRequire(here).resolve('cmu-pronouncing-dictionary/package.json')), 'index.js');
  } catch {
    throw dataError('The CMU Pronouncing Dictionary is not installed: pnpm add cmu-pronouncing-dictionary');
  }
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('= {');
  if (start < 0) throw dataError(`${path} does not hold the dictionary object this loader expects`);
  return { entries: JSON.parse(text.slice(start + 2, text.lastIndexOf('}') + 1)), path };
}

/**
 * Loads the CMU Pronouncing Dictionary split by word: the words are sorted, permuted with
 * `seed`, and cut into test, dev and train, so the same options always give the same split.
 *
 * @example
 * const { train, test, graphemes, phonemes } = loadCmudict(); // ~112k / 6.2k / 6.2k words
 */
export function loadCmudict(options: CmudictOptions = {}): G2PSplit {
  const { seed = 42, devFraction = 0.05, testFraction = 0.05, maxLength = 20, keepStress = false } = options;
  for (const [name, f] of [['devFraction', devFraction], ['testFraction', testFraction]] as const) {
    if (!(f > 0 && f < 0.5)) throw optionError(`${name} must be in (0, 0.5), got ${f}`);
  }
  const key = JSON.stringify([seed, devFraction, testFraction, maxLength, keepStress]);
  const known = cache.get(key);
  if (known) return known;
  const { entries, path } = readDictionary();
  const words = Object.keys(entries).filter((w) => WORD.test(w) && w.length <= maxLength).sort();
  const pairs = words.map((word) => ({
    word,
    phonemes: entries[word].split('#')[0].trim().split(/\s+/).map((p) => (keepStress ? p : p.replace(/\d$/, ''))),
  }));
  const order = permutation(pairs.length, seed);
  const nTest = Math.round(pairs.length * testFraction);
  const nDev = Math.round(pairs.length * devFraction);
  const pick = (from: number, to: number) => Array.from(order.subarray(from, to), (i) => pairs[i]);
  const split: G2PSplit = {
    test: pick(0, nTest),
    dev: pick(nTest, nTest + nDev),
    train: pick(nTest + nDev, pairs.length),
    graphemes: [...new Set(words.join(''))].sort(),
    phonemes: [...new Set(pairs.flatMap((p) => p.phonemes))].sort(),
    source: path,
  };
  cache.set(key, split);
  return split;
}

/**
 * CMUdict as typed arrays (`loadDataset('cmudict')`): the train and test words of
 * {@link loadCmudict}'s fixed split (dev is left out), x [n, 20] letter ids (float32) and
 * y [n, T] phoneme ids, both 0-padded (T = the longest pronunciation). Letter ids index
 * `inputNames` (`'<pad>'` then the sorted graphemes); phoneme ids index `classNames`
 * (`'<pad>'` then the 39 phonemes).
 */
export function loadCmudictDataset(options: CmudictOptions = {}): Split {
  const split = loadCmudict(options);
  const maxLength = options.maxLength ?? 20;
  const inputNames = ['<pad>', ...split.graphemes];
  const classNames = ['<pad>', ...split.phonemes];
  const T = Math.max(...[...split.train, ...split.test].map((p) => p.phonemes.length));
  const encode = (pairs: readonly G2PPair[]): Dataset => {
    const x = new Float32Array(pairs.length * maxLength);
    const y = new Int32Array(pairs.length * T);
    pairs.forEach((p, i) => {
      [...p.word].forEach((ch, t) => (x[i * maxLength + t] = inputNames.indexOf(ch)));
      p.phonemes.forEach((ph, t) => (y[i * T + t] = classNames.indexOf(ph)));
    });
    return {
      name: 'cmudict', x, xShape: [pairs.length, maxLength], y, yShape: [pairs.length, T],
      numClasses: classNames.length, classNames, inputNames, source: split.source,
    };
  };
  return { train: encode(split.train), test: encode(split.test) };
}
