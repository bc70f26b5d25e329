/**
 * A character n-gram language model with add-k smoothing: the baseline a neural character LM
 * must beat (bits per character on the same held-out text). Counts only, no tfjs.
 */

/** Options of {@link CharNgram}. */
export interface CharNgramOptions {
  /** Characters per n-gram, the predicted one included (default 5: four characters of context). */
  order?: number;
  /** Pseudo-count added to every (context, next) pair (default 0.01; see {@link tuneAddK}). */
  k?: number;
}

/** Counts of `order`-grams over token ids in [0, vocabSize). */
export class CharNgram {
  readonly order: number;
  k: number;
  private readonly contextCounts = new Map<number, number>();
  private readonly gramCounts = new Map<number, number>();

  constructor(
    readonly vocabSize: number,
    options: CharNgramOptions = {},
  ) {
    this.order = options.order ?? 5;
    this.k = options.k ?? 0.01;
    if (!Number.isInteger(this.order) || this.order < 1) throw new RangeError(`order must be an integer >= 1, got ${this.order}`);
    if (!(this.k > 0)) throw new RangeError(`k must be > 0, got ${this.k}`);
    // Keys are base-vocabSize numbers of `order` digits; they must stay exact doubles.
    if (vocabSize ** this.order * this.order > Number.MAX_SAFE_INTEGER) throw new RangeError(`vocabSize ${vocabSize} ** order ${this.order} exceeds 2^53: use a lower order`);
  }

  /** Adds the n-grams of `ids` (each position predicted from the `order - 1` ids before it; the first ones from fewer). */
  fit(ids: ArrayLike<number>): this {
    this.each(ids, (context, gram) => {
      this.contextCounts.set(context, (this.contextCounts.get(context) ?? 0) + 1);
      this.gramCounts.set(gram, (this.gramCounts.get(gram) ?? 0) + 1);
    });
    return this;
  }

  /** Mean -log2 P(next | context) over every position of `ids`: bits per character. */
  bitsPerToken(ids: ArrayLike<number>, k = this.k): number {
    let bits = 0;
    const v = this.vocabSize;
    this.each(ids, (context, gram) => {
      const p = ((this.gramCounts.get(gram) ?? 0) + k) / ((this.contextCounts.get(context) ?? 0) + k * v);
      bits -= Math.log2(p);
    });
    return bits / Math.max(ids.length, 1);
  }

  /**
   * Calls `visit(contextKey, gramKey)` for every position. A context key is its ids as a
   * base-vocabSize number times `order` plus its length, so the shorter contexts at the start
   * never collide with full ones.
   */
  private each(ids: ArrayLike<number>, visit: (context: number, gram: number) => void): void {
    const v = this.vocabSize;
    const n = this.order - 1;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id >= v) throw new RangeError(`token ${id} at position ${i} is outside the vocabulary [0, ${v})`);
      const from = Math.max(0, i - n);
      let context = 0;
      for (let j = from; j < i; j++) context = context * v + ids[j];
      context = context * (n + 1) + (i - from);
      visit(context, context * v + id);
    }
  }
}

/**
 * Picks k for {@link CharNgram} on held-out text: fits on `train`, scores `heldOut` with each
 * candidate and keeps the lowest bits per character.
 */
export function tuneAddK(model: CharNgram, heldOut: ArrayLike<number>, candidates = [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001]): { k: number; bits: Record<string, number> } {
  const bits: Record<string, number> = {};
  let best = candidates[0];
  for (const k of candidates) {
    bits[k] = model.bitsPerToken(heldOut, k);
    if (bits[k] < bits[best]) best = k;
  }
  model.k = best;
  return { k: best, bits };
}
