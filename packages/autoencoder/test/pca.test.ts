import { initBackend, Rng } from '@neurozoo/core';
import { loadMnist } from '@neurozoo/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { PCA, symmetricEigen } from '../src/index.js';

beforeAll(() => initBackend({ backend: 'wasm' }));

describe('symmetricEigen (Jacobi)', () => {
  it('diagonalises a symmetric matrix: A v = lambda v, descending, orthonormal', () => {
    const a = [4, 1, 2, 1, 3, 0, 2, 0, 5];
    const { values, vectors } = symmetricEigen(a, 3);
    expect(values[0]).toBeGreaterThan(values[1]);
    expect(values[1]).toBeGreaterThan(values[2]);
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let k = 0; k < 3; k++) av += a[i * 3 + k] * vectors[k * 3 + j];
        expect(av).toBeCloseTo(values[j] * vectors[i * 3 + j], 10);
      }
    }
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(12, 10);
  });
});

describe('PCA by subspace iteration', () => {
  it('matches the exact eigendecomposition of the covariance on synthetic data', () => {
    const rng = new Rng(4);
    const n = 500, d = 12;
    const x = new Float32Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = (rng.next() - 0.5) * (j + 1) + (j % 3 === 0 ? x[i * d] : 0);
    const pca = PCA.fit(x, d, 3);
    const mean = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j] / n;
    const cov = new Float64Array(d * d);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
      cov[a * d + b] += ((x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b])) / (n - 1);
    }
    const exact = symmetricEigen(cov, d);
    for (let c = 0; c < 3; c++) {
      expect(pca.explainedVariance[c] / exact.values[c]).toBeCloseTo(1, 4);
      let dot = 0; // same direction up to sign
      for (let k = 0; k < d; k++) dot += pca.components[c * d + k] * exact.vectors[k * d + c];
      expect(Math.abs(dot)).toBeCloseTo(1, 3);
    }
    // On the training data, the mean squared error is the variance left out.
    const sse = pca.reconstructionErrors(x).reduce((s, v) => s + v, 0) / (n - 1);
    expect(sse).toBeCloseTo(exact.values.slice(3).reduce((s, v) => s + v, 0), 2);
  });

  it('on 5000 MNIST images: error falls with k (10, 30), codes round-trip, validates its options', () => {
    const { train, test } = loadMnist();
    const x = train.x.subarray(0, 5000 * 784);
    const xt = test.x.subarray(0, 1000 * 784);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    const [pca10, pca] = [10, 30].map((k) => PCA.fit(x, 784, k));
    const errs = [pca10, pca].map((p) => mean(p.reconstructionErrors(xt)));
    expect(errs[0]).toBeGreaterThan(errs[1]);
    expect(errs[1]).toBeGreaterThan(12); // full-data 30-component PCA: 13.87 per image (paper and acceptance run)
    expect(errs[1]).toBeLessThan(16);
    expect(pca.transform(xt).length).toBe(1000 * 30);
    expect(() => PCA.fit(x, 784, 0)).toThrow('components must be an integer in [1, 784], got 0');
  });
});
