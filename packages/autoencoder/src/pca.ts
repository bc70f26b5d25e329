/**
 * PCA, the linear baseline an autoencoder is compared with. tfjs has no eigendecomposition,
 * so {@link PCA.fit} forms the d x d covariance with tfjs matmuls and finds its top
 * eigenvectors by subspace iteration (tfjs products, Gram-Schmidt and a Jacobi
 * Rayleigh-Ritz step in float64): 784-d MNIST, 30 components in a few seconds.
 */
import { OptionError, ShapeError, tf } from '@neurozoo/core';
import { sumSquaredErrors } from './autoencoder.js';

/** Options of {@link PCA.fit}. */
export interface PcaOptions {
  /** Extra vectors iterated beyond `components` to speed convergence (default 10). */
  oversample?: number;
  /** Most subspace iterations (default 100). */
  maxIterations?: number;
  /** Stop when the top Ritz values change by less than this, relatively, over 5 iterations (default 1e-6). */
  tol?: number;
}

/** Eigenvalues (descending) and eigenvectors (columns of a row-major n x n) of a symmetric matrix, by cyclic Jacobi. */
export function symmetricEigen(a: ArrayLike<number>, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < n; p++) {
      diag += m[p * n + p] ** 2;
      for (let q = p + 1; q < n; q++) off += m[p * n + q] ** 2;
    }
    if (off <= 1e-24 * diag || off < 1e-300) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p], mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k], mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j * n + j] - m[i * n + i]);
  const values = Float64Array.from(order, (i) => m[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((col, j) => { for (let k = 0; k < n; k++) vectors[k * n + j] = v[k * n + col]; });
  return { values, vectors };
}

/** Orthonormalises the columns of a row-major d x p matrix in place (modified Gram-Schmidt, twice). */
function orthonormalise(q: Float64Array, d: number, p: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < p; j++) {
      for (let i = 0; i < j; i++) {
        let dot = 0;
        for (let k = 0; k < d; k++) dot += q[k * p + i] * q[k * p + j];
        for (let k = 0; k < d; k++) q[k * p + j] -= dot * q[k * p + i];
      }
      let norm = 0;
      for (let k = 0; k < d; k++) norm += q[k * p + j] ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let k = 0; k < d; k++) q[k * p + j] /= norm;
    }
  }
}

/** Principal component analysis fitted on row-major samples. */
export class PCA {
  private constructor(
    /** Features per sample. */
    readonly features: number,
    /** Mean sample. */
    readonly mean: Float32Array,
    /** Components, row-major [k, features], by decreasing variance. */
    readonly components: Float32Array,
    /** Variance along each component. */
    readonly explainedVariance: Float64Array,
    /** Sum of the per-feature variances (what k = features would explain). */
    readonly totalVariance: number,
    /** Subspace iterations run. */
    readonly iterations: number,
  ) {}

  /** Number of components kept. */
  get k(): number {
    return this.explainedVariance.length;
  }

  /** Fits `components` principal components to x (n x `features`, row-major). */
  static fit(x: Float32Array, features: number, components: number, options: PcaOptions = {}): PCA {
    const n = x.length / features;
    if (!Number.isInteger(n) || n < 2) throw new ShapeError(`x must hold at least 2 samples of ${features} features, got ${x.length} values`);
    if (!(Number.isInteger(components) && components >= 1 && components <= features)) {
      throw new OptionError(`components must be an integer in [1, ${features}], got ${components}`);
    }
    const p = Math.min(features, components + (options.oversample ?? 10));
    const [meanT, cov] = tf.tidy(() => {
      const mean = tf.tensor2d(x, [n, features]).mean(0, true);
      let c: tf.Tensor2D = tf.zeros([features, features]);
      for (let from = 0; from < n; from += 4096) {
        const rows = Math.min(4096, n - from);
        const xc = tf.tensor2d(x.subarray(from * features, (from + rows) * features), [rows, features]).sub(mean);
        c = c.add(tf.matMul(xc.transpose(), xc));
      }
      return [mean, c.div(n - 1) as tf.Tensor2D];
    });
    const covValues = cov.dataSync();
    let totalVariance = 0;
    for (let i = 0; i < features; i++) totalVariance += covValues[i * features + i];
    const q = new Float64Array(features * p);
    let seed = 12345;
    for (let i = 0; i < q.length; i++) q[i] = ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    orthonormalise(q, features, p);
    let ritz: Float64Array = new Float64Array(p);
    let eig: { values: Float64Array; vectors: Float64Array } = { values: ritz, vectors: new Float64Array(p * p) };
    let it = 0;
    const maxIt = options.maxIterations ?? 100;
    for (; ; it++) {
      const z = tf.tidy(() => tf.matMul(cov, tf.tensor2d(Float32Array.from(q), [features, p])).dataSync());
      // Every 5 iterations (and at the last), Rayleigh-Ritz on span(Q): B = Q^T C Q = Q^T Z.
      if (it % 5 === 4 || it === maxIt - 1) {
        const b = new Float64Array(p * p);
        for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) {
          let s = 0;
          for (let k = 0; k < features; k++) s += q[k * p + i] * z[k * p + j];
          b[i * p + j] = s;
        }
        for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) b[i * p + j] = b[j * p + i] = (b[i * p + j] + b[j * p + i]) / 2;
        eig = symmetricEigen(b, p);
        let change = 0;
        for (let i = 0; i < components; i++) change = Math.max(change, Math.abs(eig.values[i] - ritz[i]) / Math.max(Math.abs(eig.values[i]), 1e-12));
        ritz = eig.values;
        if (change < (options.tol ?? 1e-6) || it >= maxIt - 1) break;
      }
      q.set(z);
      orthonormalise(q, features, p);
    }
    // Ritz vectors: Q V, the first `components` columns.
    const comps = new Float32Array(components * features);
    for (let c = 0; c < components; c++) for (let k = 0; k < features; k++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += q[k * p + j] * eig.vectors[j * p + c];
      comps[c * features + k] = s;
    }
    const mean = meanT.dataSync() as Float32Array;
    tf.dispose([meanT, cov]);
    return new PCA(features, Float32Array.from(mean), comps, ritz.slice(0, components), totalVariance, it + 1);
  }

  /** Codes (n x k) of samples x. */
  transform(x: Float32Array): Float32Array {
    const n = x.length / this.features;
    return tf.tidy(() => {
      const xc = tf.tensor2d(x, [n, this.features]).sub(tf.tensor2d(this.mean, [1, this.features]));
      return tf.matMul(xc, tf.tensor2d(this.components, [this.k, this.features]).transpose()).dataSync() as Float32Array;
    });
  }

  /** Samples (n x features) back from codes z (n x k). */
  inverseTransform(z: Float32Array): Float32Array {
    const n = z.length / this.k;
    return tf.tidy(() => tf.matMul(tf.tensor2d(z, [n, this.k]), tf.tensor2d(this.components, [this.k, this.features]))
      .add(tf.tensor2d(this.mean, [1, this.features])).dataSync() as Float32Array);
  }

  /** Projection of x onto the components, back in input space. */
  reconstruct(x: Float32Array): Float32Array {
    return this.inverseTransform(this.transform(x));
  }

  /** Per-sample sum of squared reconstruction errors. */
  reconstructionErrors(x: Float32Array): Float32Array {
    return sumSquaredErrors(x, this.reconstruct(x), this.features);
  }
}
