/** Scores for anomaly detection with reconstruction errors: ROC AUC and threshold choice. */
// No imports: shared by the tfjs entry and the onnxruntime-only `/runtime` entry.
class OptionError extends RangeError {}

/**
 * Area under the ROC curve for scores where higher means "anomaly": the probability that a
 * random anomaly scores above a random normal sample (ties count one half).
 */
export function rocAuc(normalScores: ArrayLike<number>, anomalyScores: ArrayLike<number>): number {
  if (normalScores.length === 0 || anomalyScores.length === 0) throw new OptionError('rocAuc needs at least one normal and one anomalous score');
  const all = [
    ...Array.from(normalScores, (s) => ({ s, a: 0 })),
    ...Array.from(anomalyScores, (s) => ({ s, a: 1 })),
  ].sort((x, y) => x.s - y.s);
  // Mann-Whitney U with mid-ranks for ties.
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j].s === all[i].s) j++;
    const mid = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (all[k].a) rankSum += mid;
    i = j;
  }
  const nA = anomalyScores.length;
  const nN = normalScores.length;
  return (rankSum - (nA * (nA + 1)) / 2) / (nA * nN);
}

/**
 * Threshold on reconstruction errors chosen on validation data of normal samples: the
 * `quantile` (default 0.99) of their scores, so about 1 - quantile of normal data is flagged.
 */
export function chooseThreshold(validationScores: ArrayLike<number>, quantile = 0.99): number {
  if (validationScores.length === 0) throw new OptionError('chooseThreshold needs validation scores');
  if (!(quantile > 0 && quantile < 1)) throw new OptionError(`quantile must be in (0, 1), got ${quantile}`);
  const sorted = Float64Array.from(validationScores).sort();
  const pos = quantile * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
