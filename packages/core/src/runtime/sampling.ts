/**
 * Choosing the next token from logits: greedy (argmax), or sampling with temperature, top-k and
 * top-p (nucleus) filtering, from a seeded generator. No tfjs, no onnxruntime. Shared by the
 * families' generating runtimes (a probability row p is the logits log p).
 */
import { Rng } from '../random.js';
import { argmax } from './tensors.js';

/** How {@link pickToken} chooses. `temperature` 0 (default) is greedy. */
export interface SamplingOptions {
  /** 0 = greedy; otherwise logits are divided by it before the softmax (default 0). */
  temperature?: number;
  /** Keep only the k most likely tokens (0 or absent: all). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p (default 1). */
  topP?: number;
}

/** A seeded generator of floats in [0, 1): core's {@link Rng} (mulberry32) as a function. */
export function seededRandom(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** Checks sampling options; throws a RangeError naming the bad one. */
export function checkSampling(o: SamplingOptions): void {
  if (o.temperature !== undefined && !(o.temperature >= 0)) throw new RangeError(`temperature must be >= 0, got ${o.temperature}`);
  if (o.topK !== undefined && !(Number.isInteger(o.topK) && o.topK >= 0)) throw new RangeError(`topK must be an integer >= 0, got ${o.topK}`);
  if (o.topP !== undefined && !(o.topP > 0 && o.topP <= 1)) throw new RangeError(`topP must be in (0, 1], got ${o.topP}`);
}

/** Picks the next token id from one row of logits. */
export function pickToken(logits: ArrayLike<number>, options: SamplingOptions, random: () => number): number {
  const temperature = options.temperature ?? 0;
  if (temperature === 0) return argmax(logits, [1, logits.length])[0];
  const order = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b] - logits[a] || a - b);
  const k = options.topK && options.topK > 0 ? Math.min(options.topK, order.length) : order.length;
  const kept = order.slice(0, k);
  const top = logits[kept[0]] / temperature;
  let probs = kept.map((i) => Math.exp(logits[i] / temperature - top));
  let total = probs.reduce((a, b) => a + b, 0);
  probs = probs.map((p) => p / total);
  const topP = options.topP ?? 1;
  let n = probs.length;
  if (topP < 1) {
    let cumulative = 0;
    for (n = 0; n < probs.length && cumulative < topP; n++) cumulative += probs[n];
  }
  total = probs.slice(0, n).reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < n; i++) {
    r -= probs[i];
    if (r <= 0) return kept[i];
  }
  return kept[n - 1];
}
