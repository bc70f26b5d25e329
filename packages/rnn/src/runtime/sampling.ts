/**
 * Choosing the next token from a probability row: greedy (argmax) or sampling with
 * temperature, top-k and top-p (nucleus) filtering from a seeded generator. No tfjs.
 */

/** How {@link pickToken} chooses; temperature 0 (default) is greedy. */
export interface SamplingOptions {
  /** 0 = greedy; otherwise probabilities are raised to 1 / temperature and renormalised (default 0). */
  temperature?: number;
  /** Keep only the k most likely tokens (0 or absent: all). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p (default 1). */
  topP?: number;
}

/** mulberry32: seeded floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks sampling options; throws a RangeError naming the bad one. */
export function checkSampling(o: SamplingOptions): void {
  if (o.temperature !== undefined && !(o.temperature >= 0)) throw new RangeError(`temperature must be >= 0, got ${o.temperature}`);
  if (o.topK !== undefined && !(Number.isInteger(o.topK) && o.topK >= 0)) throw new RangeError(`topK must be an integer >= 0, got ${o.topK}`);
  if (o.topP !== undefined && !(o.topP > 0 && o.topP <= 1)) throw new RangeError(`topP must be in (0, 1], got ${o.topP}`);
}

/** Picks a token id from one row of probabilities (the first of equals when greedy). */
export function pickToken(probs: ArrayLike<number>, options: SamplingOptions, random: () => number): number {
  const temperature = options.temperature ?? 0;
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
    return best;
  }
  const order = Array.from({ length: probs.length }, (_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
  const k = options.topK && options.topK > 0 ? Math.min(options.topK, order.length) : order.length;
  const kept = order.slice(0, k);
  const top = Math.log(probs[kept[0]]);
  const weights = kept.map((i) => Math.exp((Math.log(probs[i]) - top) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let n = weights.length;
  if ((options.topP ?? 1) < 1) {
    let cumulative = 0;
    for (n = 0; n < weights.length && cumulative < (options.topP as number); n++) cumulative += weights[n] / total;
  }
  const mass = weights.slice(0, n).reduce((a, b) => a + b, 0);
  let r = random() * mass;
  for (let i = 0; i < n; i++) {
    r -= weights[i];
    if (r <= 0) return kept[i];
  }
  return kept[n - 1];
}
