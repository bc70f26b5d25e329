/**
 * Scores of sequence predictions (e.g. grapheme-to-phoneme): edit distance, phoneme error rate
 * and word error rate. No tfjs, no onnxruntime: shared by training reports and deploy code.
 */
import { DataError } from '../errors.js';

/** Levenshtein distance between two symbol sequences (insertions, deletions, substitutions each cost 1). */
export function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** What {@link errorRates} returns. */
export interface ErrorRates {
  /** Phoneme (symbol) error rate: total edit distance / total reference length. */
  per: number;
  /** Word (sequence) error rate: the fraction of hypotheses that are not exactly their reference. */
  wer: number;
}

/**
 * PER and WER of hypotheses against references, in one pass. Throws DataError unless there are
 * as many hypotheses as references, at least one.
 */
export function errorRates(hyps: readonly (readonly string[])[], refs: readonly (readonly string[])[]): ErrorRates {
  if (hyps.length !== refs.length || refs.length === 0) {
    throw new DataError(`Expected as many hypotheses as references (at least one); got ${hyps.length} and ${refs.length}`);
  }
  let edits = 0;
  let total = 0;
  let wrong = 0;
  refs.forEach((r, i) => {
    const d = editDistance(hyps[i], r);
    edits += d;
    total += r.length;
    if (d > 0) wrong++;
  });
  return { per: edits / total, wer: wrong / refs.length };
}
