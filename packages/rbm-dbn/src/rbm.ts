/**
 * The restricted Boltzmann machine: visible units v (Bernoulli, or Gaussian with unit
 * variance for real-valued data), hidden Bernoulli units h, energy
 * E(v, h) = -v·b - h·c - vᵀWh (Bernoulli) or |v - b|²/2 - h·c - vᵀWh (Gaussian).
 * Both conditionals factorise: p(h=1|v) = σ(vW + c); p(v=1|h) = σ(hWᵀ + b) or v|h ~ N(hWᵀ + b, 1).
 * Training (CD-k, PCD) lives in ./train.ts; this file holds the model and its sampling.
 */
import { OptionError, Rng, tf } from '@neurozoo/core';
import { RbmHidden } from './layers/index.js';
import { normalNoise, uniformNoise } from './noise.js';
import { type RbmFitOptions, type RbmFitResult, fitRbm } from './train.js';

/** How the visible units are distributed. */
export type VisibleType = 'bernoulli' | 'gaussian';

/** Config of {@link RBM}. */
export interface RbmConfig {
  visible: number;
  hidden: number;
  /** 'bernoulli' (default; data in [0, 1]) or 'gaussian' (real data, standardised to unit variance). */
  visibleType?: VisibleType;
  /** Seeds the initial weights (default 0). */
  seed?: number;
  /** Standard deviation of the initial weights (default 0.01, as Hinton's practical guide). */
  initStd?: number;
}

/** One Gibbs step's values: h ~ p(h|v), then v' ~ p(v|h). */
export interface GibbsStep {
  hProb: tf.Tensor2D;
  h: tf.Tensor2D;
  vProb: tf.Tensor2D;
  v: tf.Tensor2D;
}

/** Row-major samples as a Float32Array, or a [n, visible] tensor. */
export type Rows = Float32Array | tf.Tensor2D;

/** A restricted Boltzmann machine; see the module comment. */
export class RBM {
  readonly visible: number;
  readonly hidden: number;
  readonly visibleType: VisibleType;
  /** Weights [visible, hidden], visible bias b [visible], hidden bias c [hidden]. */
  readonly W: tf.Variable;
  readonly vb: tf.Variable;
  readonly hb: tf.Variable;

  constructor(config: RbmConfig) {
    const { visible, hidden, visibleType = 'bernoulli', seed = 0, initStd = 0.01 } = config;
    if (!(Number.isInteger(visible) && visible > 0 && Number.isInteger(hidden) && hidden > 0)) {
      throw new OptionError(`RBM sizes must be positive integers, got visible ${visible}, hidden ${hidden}.`);
    }
    if (visibleType !== 'bernoulli' && visibleType !== 'gaussian') {
      throw new OptionError(`visibleType must be 'bernoulli' or 'gaussian', got ${JSON.stringify(visibleType)}.`);
    }
    this.visible = visible;
    this.hidden = hidden;
    this.visibleType = visibleType;
    // Drawn from core's Rng: tfjs treats seed 0 as 'no seed' and would use Math.random.
    this.W = tf.variable(tf.tidy(() => tf.mul(normalNoise([visible, hidden], new Rng(seed)), initStd)));
    this.vb = tf.variable(tf.zeros([visible]));
    this.hb = tf.variable(tf.zeros([hidden]));
  }

  /** An RBM holding copies of the given parameters. */
  static fromWeights(W: tf.Tensor2D, vb: tf.Tensor1D, hb: tf.Tensor1D, visibleType: VisibleType = 'bernoulli'): RBM {
    const rbm = new RBM({ visible: W.shape[0], hidden: W.shape[1], visibleType, initStd: 0 });
    rbm.W.assign(W);
    rbm.vb.assign(vb);
    rbm.hb.assign(hb);
    return rbm;
  }

  /** The RBM stored in an {@link RbmHidden} layer (of a saved classifier, say). */
  static fromLayer(layer: RbmHidden): RBM {
    const [W, hb, vb] = [layer.kernel.read(), layer.bias.read(), layer.visibleBias.read()];
    return RBM.fromWeights(W as tf.Tensor2D, vb as tf.Tensor1D, hb as tf.Tensor1D, layer.visibleType);
  }

  /** Trains the RBM by CD-k or PCD; see {@link RbmFitOptions}. */
  fit(x: Float32Array, options: RbmFitOptions = {}): Promise<RbmFitResult> {
    return fitRbm(this, x, options);
  }

  /** p(h=1|v) = σ(vW + c). */
  hiddenProb(v: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(tf.add(tf.matMul(v, this.W as tf.Tensor2D), this.hb)));
  }

  /** E[v|h]: σ(hWᵀ + b) for Bernoulli units, hWᵀ + b for Gaussian ones. */
  visibleMean(h: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const pre = tf.add(tf.matMul(h, this.W as tf.Tensor2D, false, true), this.vb) as tf.Tensor2D;
      return this.visibleType === 'bernoulli' ? tf.sigmoid(pre) : pre;
    });
  }

  /**
   * One Gibbs step with the noise given: h = [uh < p(h|v)], v' = [uv < p(v|h)] (Bernoulli), or
   * v' = mean + uv with uv standard normal (Gaussian). The exported Gibbs graph computes the same.
   */
  gibbsStep(v: tf.Tensor2D, noiseH: tf.Tensor2D, noiseV: tf.Tensor2D): GibbsStep {
    return tf.tidy(() => {
      const hProb = this.hiddenProb(v);
      const h = tf.cast(tf.less(noiseH, hProb), 'float32') as tf.Tensor2D;
      const vProb = this.visibleMean(h);
      const vs = this.visibleType === 'bernoulli' ? tf.cast(tf.less(noiseV, vProb), 'float32') : tf.add(vProb, noiseV);
      return { hProb, h, vProb, v: vs as tf.Tensor2D };
    });
  }

  /** Noise for one Gibbs step of `n` chains: uniform for h, uniform (Bernoulli) or normal (Gaussian) for v. */
  gibbsNoise(n: number, rng: Rng): [tf.Tensor2D, tf.Tensor2D] {
    const uh = uniformNoise([n, this.hidden], rng);
    return [uh, this.visibleType === 'bernoulli' ? uniformNoise([n, this.visible], rng) : normalNoise([n, this.visible], rng)];
  }

  /** Hidden probabilities p(h=1|v) of the rows: the RBM's features. */
  transform(x: Rows): tf.Tensor2D {
    return tf.tidy(() => this.hiddenProb(this.rows(x)));
  }

  /** Mean-field reconstruction E[v | h = p(h|v)]. */
  reconstruct(x: Rows): tf.Tensor2D {
    return tf.tidy(() => this.visibleMean(this.hiddenProb(this.rows(x))));
  }

  /** Mean squared reconstruction error per visible unit. */
  reconstructionError(x: Rows): number {
    return tf.tidy(() => {
      const v = this.rows(x);
      return tf.mean(tf.squaredDifference(v, this.reconstruct(v))).dataSync()[0];
    });
  }

  /** Free energy F(v) = -log Σ_h exp(-E(v, h)) of each row, shape [n]. */
  freeEnergy(x: Rows): tf.Tensor1D {
    return tf.tidy(() => {
      const v = this.rows(x);
      const hidden = tf.sum(tf.softplus(tf.add(tf.matMul(v, this.W as tf.Tensor2D), this.hb)), 1);
      const visible = this.visibleType === 'bernoulli'
        ? tf.neg(tf.sum(tf.mul(v, this.vb), 1))
        : tf.mul(0.5, tf.sum(tf.square(tf.sub(v, this.vb)), 1));
      return tf.sub(visible, hidden) as tf.Tensor1D;
    });
  }

  /**
   * Stochastic pseudo-log-likelihood per sample (Bernoulli units; rows binarised at 0.5):
   * visible · log σ(F(ṽ) - F(v)), ṽ = v with one random unit flipped (as scikit-learn's score_samples).
   */
  pseudoLogLikelihood(x: Rows, seed = 0): number {
    if (this.visibleType !== 'bernoulli') throw new OptionError('pseudoLogLikelihood needs Bernoulli visible units.');
    return tf.tidy(() => {
      const v = tf.cast(tf.greater(this.rows(x), 0.5), 'float32') as tf.Tensor2D;
      const rng = new Rng(seed);
      const flip = tf.oneHot(tf.tensor1d(Int32Array.from({ length: v.shape[0] }, () => rng.int(this.visible)), 'int32'), this.visible);
      const flipped = tf.add(v, tf.mul(flip, tf.sub(1, tf.mul(2, v)))) as tf.Tensor2D;
      const gap = tf.sub(this.freeEnergy(flipped), this.freeEnergy(v));
      return tf.mean(tf.mul(this.visible, tf.logSigmoid(gap))).dataSync()[0];
    });
  }

  /**
   * Runs `steps` Gibbs steps from data (`from`) or from noise (`n` random binary / normal
   * rows) and returns the last step's E[v|h] (pixel probabilities for Bernoulli units).
   */
  sample(options: { n?: number; from?: Rows; steps?: number; seed?: number } = {}): tf.Tensor2D {
    const { steps = 1000, seed = 0 } = options;
    const rng = new Rng(seed);
    let v: tf.Tensor2D;
    const from = options.from;
    if (from !== undefined) v = tf.tidy(() => tf.clone(this.rows(from)));
    else {
      const n = options.n ?? 16;
      v = this.visibleType === 'bernoulli'
        ? (tf.tidy(() => tf.cast(tf.less(uniformNoise([n, this.visible], rng), 0.5), 'float32')) as tf.Tensor2D)
        : normalNoise([n, this.visible], rng);
    }
    let mean = tf.clone(v);
    for (let s = 0; s < steps; s++) {
      const [uh, uv] = this.gibbsNoise(v.shape[0], rng);
      const step = this.gibbsStep(v, uh, uv);
      tf.dispose([v, mean, uh, uv, step.hProb, step.h]);
      v = step.v;
      mean = step.vProb;
    }
    v.dispose();
    return mean;
  }

  /** An {@link RbmHidden} layer holding copies of W, b, c (input `[visible]`, output p(h|v)). */
  toLayer(name?: string): RbmHidden {
    // Built (inside its name scope) when first applied, e.g. by Sequential.add; the weights are copied then.
    return new RbmHidden({ units: this.hidden, visibleType: this.visibleType, inputShape: [this.visible], name, weights: [this.W, this.hb, this.vb] });
  }

  /** `transform` as a tfjs model [batch, visible] -> [batch, hidden], for ONNX export. */
  transformModel(name = 'rbm_transform'): tf.Sequential {
    const model = tf.sequential({ name });
    model.add(this.toLayer());
    return model;
  }

  /** Frees the parameters. */
  dispose(): void {
    tf.dispose([this.W, this.vb, this.hb]);
  }

  private rows(x: Rows): tf.Tensor2D {
    if (x instanceof tf.Tensor) return x;
    if (x.length % this.visible !== 0) {
      throw new OptionError(`Expected rows of ${this.visible} values, got ${x.length} values (not a multiple of ${this.visible}).`);
    }
    return tf.tensor2d(x, [x.length / this.visible, this.visible]);
  }
}
