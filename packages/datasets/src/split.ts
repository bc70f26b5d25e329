/** Deterministic shuffling and splitting with a tiny seeded PRNG. */
import { optionError } from './errors.js';
import { count, subset } from './transforms.js';
import type { Dataset, Split, ValidationSplit } from './types.js';

/** mulberry32: a 32-bit seeded PRNG returning floats in [0, 1). Same seed, same sequence. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A permutation of `0 .. n-1` drawn with {@link mulberry32} (Fisher-Yates). */
export function permutation(n: number, seed: number): Int32Array {
  const random = mulberry32(seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The samples of `ds` in a seeded random order. */
export function shuffle(ds: Dataset, seed: number): Dataset {
  return subset(ds, permutation(count(ds), seed));
}

/** Options of {@link seededSplit}: one of `testFraction` or `validationFraction`, and a seed. */
export type SplitOptions = { seed: number; stratify?: boolean } & (
  | { testFraction: number; validationFraction?: never }
  | { validationFraction: number; testFraction?: never }
);

/**
 * Splits `ds` at random but deterministically: the same seed gives the same split. With
 * `stratify`, each class is split in the same proportion. Returns `{ train, test }` for
 * `testFraction`, `{ train, validation }` for `validationFraction`.
 */
export function seededSplit(ds: Dataset, options: { seed: number; stratify?: boolean; testFraction: number }): Split;
export function seededSplit(ds: Dataset, options: { seed: number; stratify?: boolean; validationFraction: number }): ValidationSplit;
export function seededSplit(ds: Dataset, options: SplitOptions): Split | ValidationSplit {
  const key = options.testFraction !== undefined ? 'test' : 'validation';
  const fraction = options.testFraction ?? options.validationFraction;
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw optionError(`${key}Fraction must be a number between 0 and 1 (exclusive), got ${String(fraction)}`);
  }
  if (!Number.isInteger(options.seed)) throw optionError(`seed must be an integer, got ${String(options.seed)}`);
  const order = permutation(count(ds), options.seed);
  const groups = options.stratify ? Array.from({ length: ds.numClasses }, (_, c) => order.filter((i) => ds.y[i] === c)) : [order];
  const held: number[] = [];
  const kept: number[] = [];
  for (const g of groups) {
    const k = Math.round(g.length * fraction);
    held.push(...g.subarray(0, k));
    kept.push(...g.subarray(k));
  }
  if (held.length === 0 || kept.length === 0) {
    throw optionError(`${key}Fraction ${fraction} of ${count(ds)} samples leaves an empty ${held.length === 0 ? key : 'train'} set`);
  }
  const train = subset(ds, Int32Array.from(kept));
  const other = subset(ds, Int32Array.from(held));
  return key === 'test' ? { train, test: other } : { train, validation: other };
}
