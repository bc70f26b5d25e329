/** Plain typed-array transforms: flatten, take, subset, oneHot, normalize, validation. */
import { DatasetError, dataError, optionError } from './errors.js';
import type { Dataset } from './types.js';

/** Number of samples of `ds` (`xShape[0]`). */
export const count = (ds: Dataset): number => ds.xShape[0];

/** Features per sample: the product of `xShape[1:]`. */
export const featureSize = (ds: Dataset): number => ds.xShape.slice(1).reduce((a, d) => a * d, 1);

/** `ds` with x viewed as `[n, features]` (no copy). */
export function flatten(ds: Dataset): Dataset {
  return { ...ds, xShape: [count(ds), featureSize(ds)] };
}

/** Targets per sample: the product of `yShape[1:]` (1 without `yShape`). */
export const targetsPerSample = (ds: Dataset): number => (ds.yShape ? ds.yShape.slice(1).reduce((a, d) => a * d, 1) : 1);

/** The first `n` samples of `ds` (views, no copy; sequence targets `yShape` included). */
export function take(ds: Dataset, n: number): Dataset {
  if (!Number.isInteger(n) || n < 0 || n > count(ds)) {
    throw optionError(`take(${ds.name}, ${n}): n must be an integer in 0..${count(ds)}`);
  }
  const f = featureSize(ds);
  const per = targetsPerSample(ds);
  return {
    ...ds, x: ds.x.subarray(0, n * f), xShape: [n, ...ds.xShape.slice(1)], y: ds.y.subarray(0, n * per),
    ...(ds.yShape ? { yShape: [n, ...ds.yShape.slice(1)] } : {}),
  };
}

/** The samples of `ds` at `indices`, in that order (a copy). */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const f = featureSize(ds);
  const per = targetsPerSample(ds);
  const x = new Float32Array(indices.length * f);
  const y = new Int32Array(indices.length * per);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i];
    x.set(ds.x.subarray(j * f, (j + 1) * f), i * f);
    y.set(ds.y.subarray(j * per, (j + 1) * per), i * per);
  }
  return { ...ds, x, xShape: [indices.length, ...ds.xShape.slice(1)], y, ...(ds.yShape ? { yShape: [indices.length, ...ds.yShape.slice(1)] } : {}) };
}

/** One-hot rows `[n, numClasses]` as float32; throws E_DATA for a label outside `0..numClasses-1`. */
export function oneHot(y: ArrayLike<number>, numClasses: number): Float32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw optionError(`numClasses must be a positive integer, got ${numClasses}`);
  const out = new Float32Array(y.length * numClasses);
  for (let i = 0; i < y.length; i++) {
    const c = y[i];
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw dataError(`Label ${c} at index ${i} is outside 0..${numClasses - 1}`);
    }
    out[i * numClasses + c] = 1;
  }
  return out;
}

/** Per-feature mean and standard deviation fitted by {@link normalize}. */
export interface NormalizeStats {
  mean: Float32Array;
  std: Float32Array;
}

/** Mean and std of each feature of `ds` (std 0 is stored as 1 so constant features stay finite). */
export function fitNormalize(ds: Dataset): NormalizeStats {
  const n = count(ds);
  const f = featureSize(ds);
  if (n === 0) throw dataError(`Cannot fit normalization on '${ds.name}': it has no samples`);
  const sum = new Float64Array(f);
  const sq = new Float64Array(f);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < f; j++) {
      const v = ds.x[i * f + j];
      sum[j] += v;
      sq[j] += v * v;
    }
  }
  const mean = Float32Array.from(sum, (s) => s / n);
  const std = Float32Array.from(sq, (s, j) => Math.sqrt(Math.max(0, s / n - (sum[j] / n) ** 2)) || 1);
  return { mean, std };
}

/** `(x - mean) / std` per feature, as a new data set. */
export function applyNormalize(ds: Dataset, stats: NormalizeStats): Dataset {
  const f = featureSize(ds);
  if (stats.mean.length !== f) throw new DatasetError('E_SHAPE', `Stats have ${stats.mean.length} features but '${ds.name}' has ${f}`);
  const x = new Float32Array(ds.x.length);
  for (let i = 0; i < x.length; i++) x[i] = (ds.x[i] - stats.mean[i % f]) / stats.std[i % f];
  return { ...ds, x };
}

/** Fits per-feature mean/std on `split.train` and applies them to every data set in `split`. */
export function normalize<S extends { train: Dataset }>(split: S): S & { stats: NormalizeStats } {
  const stats = fitNormalize(split.train);
  const out: Record<string, unknown> = { ...split, stats };
  for (const [k, v] of Object.entries(split)) if (isDataset(v)) out[k] = applyNormalize(v, stats);
  return out as S & { stats: NormalizeStats };
}

function isDataset(v: unknown): v is Dataset {
  return typeof v === 'object' && v !== null && (v as Dataset).x instanceof Float32Array && Array.isArray((v as Dataset).xShape);
}

/**
 * Checks that `ds` is consistent and trainable: x length matches xShape, one label per sample,
 * labels in range, and no NaN or Inf in x. Throws E_DATA (E_SHAPE for size mismatches).
 */
export function validateDataset(ds: Dataset): void {
  const n = count(ds);
  const f = featureSize(ds);
  if (ds.x.length !== n * f) {
    throw new DatasetError('E_SHAPE', `Dataset '${ds.name}': xShape [${ds.xShape.join(', ')}] needs ${n * f} values but x has ${ds.x.length}`);
  }
  const per = targetsPerSample(ds);
  if (ds.y.length !== n * per) throw new DatasetError('E_SHAPE', `Dataset '${ds.name}': ${n} samples need ${n * per} labels but y has ${ds.y.length}`);
  for (let i = 0; i < ds.x.length; i++) {
    if (!Number.isFinite(ds.x[i])) {
      throw dataError(`Dataset '${ds.name}': x has ${ds.x[i]} at sample ${Math.floor(i / f)}, feature ${i % f}`);
    }
  }
  for (let i = 0; i < ds.y.length; i++) {
    if (ds.y[i] < 0 || ds.y[i] >= ds.numClasses) throw dataError(`Dataset '${ds.name}': label ${ds.y[i]} at sample ${Math.floor(i / per)} is outside 0..${ds.numClasses - 1}`);
  }
}
