/**
 * PER and WER of G2P predictions, here so the family does not import @neurozoo/datasets (families
 * depend on core only). Computed as datasets' `phonemeErrorRate` / `wordErrorRate`.
 * Stopgap: core's runtime kit gets one shared `errorRates` (issue #15); this file goes then.
 */

/** Levenshtein distance between two symbol sequences (insertions, deletions, substitutions). */
function editDistance(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/**
 * Phoneme error rate (total edit distance / total reference length) and word error rate
 * (fraction of words not exactly right) of hypotheses against references; a RangeError unless
 * there are as many of each (at least one).
 */
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
