import { describe, expect, it } from 'vitest';
import {
  applyNormalize,
  type Dataset,
  DatasetError,
  featureSize,
  fitNormalize,
  flatten,
  loadIris,
  mulberry32,
  normalize,
  oneHot,
  seededSplit,
  take,
  targetsPerSample,
  validateDataset,
} from '../src/index.js';

const toy = (n: number): Dataset => ({
  name: 'toy',
  x: Float32Array.from({ length: n * 2 }, (_, i) => i),
  xShape: [n, 2],
  y: Int32Array.from({ length: n }, (_, i) => i % 2),
  numClasses: 2,
  source: 'test',
});

function thrown(f: () => unknown): DatasetError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError);
    return e as DatasetError;
  }
  throw new Error('expected a DatasetError');
}

describe('seededSplit', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const iris = loadIris();
    const a = seededSplit(iris, { testFraction: 0.2, seed: 7 });
    const b = seededSplit(iris, { testFraction: 0.2, seed: 7 });
    const c = seededSplit(iris, { testFraction: 0.2, seed: 8 });
    expect(a.test.xShape).toEqual([30, 4]);
    expect(a.train.xShape).toEqual([120, 4]);
    expect(Array.from(a.test.x)).toEqual(Array.from(b.test.x));
    expect(Array.from(a.test.x)).not.toEqual(Array.from(c.test.x));
  });

  it('keeps every sample exactly once and stratifies on request', () => {
    const iris = loadIris();
    const { train, validation } = seededSplit(iris, { validationFraction: 0.2, seed: 1, stratify: true });
    expect(train.xShape[0] + validation.xShape[0]).toBe(150);
    const counts = [0, 0, 0];
    for (const c of validation.y) counts[c]++;
    expect(counts).toEqual([10, 10, 10]);
    const sum = (ds: Dataset) => ds.x.reduce((s, v) => s + v, 0);
    expect(sum(train) + sum(validation)).toBeCloseTo(sum(iris), 2);
  });

  it('rejects bad fractions with exact messages', () => {
    expect(thrown(() => seededSplit(toy(10), { testFraction: 1.5, seed: 1 })).message).toBe(
      'testFraction must be a number between 0 and 1 (exclusive), got 1.5',
    );
    expect(thrown(() => seededSplit(toy(3), { validationFraction: 0.1, seed: 1 })).message).toBe(
      'validationFraction 0.1 of 3 samples leaves an empty validation set',
    );
  });

  it('mulberry32 repeats its sequence for a seed', () => {
    const r1 = mulberry32(42);
    const r2 = mulberry32(42);
    const a = [r1(), r1(), r1()];
    expect([r2(), r2(), r2()]).toEqual(a);
    expect(a.every((v) => v >= 0 && v < 1)).toBe(true);
  });
});

describe('normalize', () => {
  it('fits mean/std on train and applies them to test', () => {
    const split = seededSplit(loadIris(), { testFraction: 0.3, seed: 3 });
    const { train, test, stats } = normalize(split);
    const f = 4;
    for (let j = 0; j < f; j++) {
      let m = 0;
      let s = 0;
      const n = train.xShape[0];
      for (let i = 0; i < n; i++) m += train.x[i * f + j];
      m /= n;
      for (let i = 0; i < n; i++) s += (train.x[i * f + j] - m) ** 2;
      expect(m).toBeCloseTo(0, 5);
      expect(Math.sqrt(s / n)).toBeCloseTo(1, 4);
    }
    expect((split.test.x[0] - stats.mean[0]) / stats.std[0]).toBeCloseTo(test.x[0], 5);
    expect(split.train.x[0]).not.toBeCloseTo(train.x[0], 3); // the input split is untouched
  });

  it('keeps constant features finite', () => {
    const ds = { ...toy(4), x: new Float32Array(8).fill(3) };
    const { train } = normalize({ train: ds });
    expect(Array.from(train.x)).toEqual(new Array(8).fill(0));
  });
});

describe('small helpers', () => {
  it('oneHot', () => {
    expect(Array.from(oneHot([2, 0], 3))).toEqual([0, 0, 1, 1, 0, 0]);
    const e = thrown(() => oneHot([0, 3], 3));
    expect(e.code).toBe('E_DATA');
    expect(e.message).toBe('Label 3 at index 1 is outside 0..2');
  });

  it('take and flatten', () => {
    const ds = { ...toy(6), x: new Float32Array(6 * 4), xShape: [6, 2, 2, 1] };
    expect(take(ds, 2).xShape).toEqual([2, 2, 2, 1]);
    expect(take(ds, 2).x.length).toBe(8);
    expect(take(ds, 2).y.length).toBe(2);
    expect(flatten(ds).xShape).toEqual([6, 4]);
    expect(thrown(() => take(ds, 7)).message).toBe('take(toy, 7): n must be an integer in 0..6');
  });

  it('validateDataset finds NaN and Inf', () => {
    const ds = toy(3);
    ds.x[3] = Number.NaN;
    expect(thrown(() => validateDataset(ds)).message).toBe("Dataset 'toy': x has NaN at sample 1, feature 1");
    ds.x[3] = Number.POSITIVE_INFINITY;
    expect(thrown(() => validateDataset(ds)).message).toBe("Dataset 'toy': x has Infinity at sample 1, feature 1");
    expect(thrown(() => validateDataset({ ...toy(3), xShape: [4, 2] })).code).toBe('E_SHAPE');
  });

  it('featureSize and targetsPerSample multiply the shapes after the sample axis', () => {
    expect(featureSize({ ...toy(6), x: new Float32Array(6 * 12), xShape: [6, 2, 3, 2] })).toBe(12);
    expect(targetsPerSample(toy(6))).toBe(1); // one label per sample without yShape
    expect(targetsPerSample({ ...toy(6), y: new Int32Array(6 * 10), yShape: [6, 5, 2] })).toBe(10);
  });

  it('fitNormalize / applyNormalize: per-feature mean and std, constant features kept finite, shape checked', () => {
    // features: column 0 = 0, 2, 4, 6 (mean 3, std sqrt(5)); column 1 constant 7 (std stored as 1)
    const ds: Dataset = { ...toy(4), x: Float32Array.from([0, 7, 2, 7, 4, 7, 6, 7]) };
    const stats = fitNormalize(ds);
    expect(Array.from(stats.mean)).toEqual([3, 7]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(5), 6);
    expect(stats.std[1]).toBe(1);
    const out = applyNormalize(ds, stats);
    expect(Array.from(out.x, (v) => Number(v.toFixed(5)))).toEqual([-1.34164, 0, -0.44721, 0, 0.44721, 0, 1.34164, 0]);
    expect(Array.from(ds.x)).toEqual([0, 7, 2, 7, 4, 7, 6, 7]); // a new data set; the input is untouched
    expect(thrown(() => fitNormalize(take(ds, 0))).message).toBe("Cannot fit normalization on 'toy': it has no samples");
    const shape = thrown(() => applyNormalize({ ...toy(2), x: new Float32Array(6), xShape: [2, 3] }, stats));
    expect([shape.code, shape.message]).toEqual(['E_SHAPE', "Stats have 2 features but 'toy' has 3"]);
  });
});
