/**
 * Scores of G2P predictions without tfjs or @neurozoo/datasets (families do not depend on it):
 * phoneme error rate (total edit distance / total reference length) and word error rate (fraction
 * of words not exactly right), computed as `phonemeErrorRate` / `wordErrorRate` of
 * @neurozoo/datasets do (tested to agree).
 */

/** Levenshtein distance between two symbol sequences (insertions, deletions, substitutions). */
export function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/** PER and WER of hypotheses against references; throws a RangeError unless there are as many of each (at least one). */
export function errorRates(hyps: readonly (readonly string[])[], refs: readonly (readonly string[])[]): { per: number; wer: number } {
  if (hyps.length !== refs.length || refs.length === 0) throw new RangeError(`Expected as many hypotheses as references (at least one); got ${hyps.length} and ${refs.length}`);
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
