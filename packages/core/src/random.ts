/**
 * Seeded randomness. tfjs draws its unseeded randomness (initializers, dropout masks,
 * random ops) from `Math.random`, so making `Math.random` a seeded generator for the
 * duration of a build or a training run makes the whole run reproducible.
 */

/** A small, fast, seedable PRNG (mulberry32) whose whole state is one uint32. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** Uniform float in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** The generator's state, to store in a checkpoint. */
  get state(): number {
    return this.s;
  }
  set state(value: number) {
    this.s = value >>> 0;
  }
}

/** A random permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * Runs `fn` with `Math.random` replaced by `rng` (a seed makes a new one), restoring it
 * afterwards even when `fn` throws. Use it around model building and training so
 * initial weights and dropout masks depend only on the seed.
 */
export async function withSeed<T>(seed: number | Rng, fn: () => T | Promise<T>): Promise<T> {
  const rng = typeof seed === 'number' ? new Rng(seed) : seed;
  const original = Math.random;
  Math.random = () => rng.next();
  try {
    return await fn();
  } finally {
    Math.random = original;
  }
}

/** Synchronous variant of {@link withSeed}, for builders. */
export function withSeedSync<T>(seed: number | Rng, fn: () => T): T {
  const rng = typeof seed === 'number' ? new Rng(seed) : seed;
  const original = Math.random;
  Math.random = () => rng.next();
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}
