/**
 * RBM training: contrastive divergence (CD-k) and persistent CD (PCD, Tieleman 2008), with
 * momentum, L2 weight decay and an optional sparsity target (on the hidden biases, as Lee et al.
 * 2008), written in tfjs ops with its own loop: the update is the difference of data and model
 * statistics, not a gradient found by backprop. Every epoch it monitors the reconstruction error,
 * the pseudo-log-likelihood (Bernoulli units) and the free-energy gap between validation and
 * training samples (mean F(valid) - mean F(train); a growing gap means overfitting).
 */
import { checkOptions, gatherRows, OptionError, permutation, Rng, tf } from '@neurozoo/core';
import { normalNoise, uniformNoise } from './noise.js';
import type { RBM } from './rbm.js';

/** Options of {@link RBM.fit}. */
export interface RbmFitOptions {
  /** Passes over the data (default 10). */
  epochs?: number;
  /** Samples per update (default 100); an incomplete last batch is skipped (reshuffled each epoch). */
  batchSize?: number;
  /** Step size (default 0.1 Bernoulli, 0.01 Gaussian). */
  learningRate?: number;
  /** 'cd' (default): chains start at the data; 'pcd': persistent chains carried across updates. */
  method?: 'cd' | 'pcd';
  /** Gibbs steps per update (default 1). */
  k?: number;
  /** Momentum for the first `momentumSwitchEpoch` epochs (default 0.5), then `finalMomentum` (0.9). */
  momentum?: number;
  finalMomentum?: number;
  momentumSwitchEpoch?: number;
  /** L2 weight decay on W (default 2e-4). */
  weightDecay?: number;
  /** Target mean activation of each hidden unit (off when undefined), its cost (default 0.1) and averaging decay (0.9). */
  sparsityTarget?: number;
  sparsityCost?: number;
  sparsityDecay?: number;
  /** Held-out rows for the validation reconstruction error and the free-energy gap. */
  validation?: Float32Array;
  /** Rows of the training and validation data used by the monitors (default 1000). */
  monitorSize?: number;
  /** Seeds shuffling and every Gibbs sample (default 0). */
  seed?: number;
  /** Called after every epoch with its log. */
  onEpoch?: (log: RbmEpochLog) => void;
  /** Print one line per epoch on stderr (default false). */
  verbose?: boolean;
}

/** The monitors, measured on fixed subsets of the training and validation data. */
export interface RbmMonitors {
  /** Mean squared error per visible unit of the mean-field reconstruction (training subset). */
  reconstructionError: number;
  validationReconstructionError?: number;
  /** Mean pseudo-log-likelihood per sample (Bernoulli visible units only). */
  pseudoLogLikelihood?: number;
  /** mean F(validation) - mean F(training subset). */
  freeEnergyGap?: number;
  /** Mean hidden activation on the training subset. */
  meanHiddenActivation: number;
}

/** One epoch's log. */
export interface RbmEpochLog extends RbmMonitors {
  epoch: number;
  seconds: number;
  samplesPerSecond: number;
}

/** What {@link RBM.fit} returns. */
export interface RbmFitResult {
  /** Monitors before the first update. */
  initial: RbmMonitors;
  history: RbmEpochLog[];
  trainSeconds: number;
  samplesPerSecond: number;
}

const KEYS = new Set(['epochs', 'batchSize', 'learningRate', 'method', 'k', 'momentum', 'finalMomentum', 'momentumSwitchEpoch', 'weightDecay',
  'sparsityTarget', 'sparsityCost', 'sparsityDecay', 'validation', 'monitorSize', 'seed', 'onEpoch', 'verbose']);

/** The rows `idx[from..to)` of `x` as one [to - from, width] tensor. */
const rowsTensor = (x: Float32Array, width: number, idx: ArrayLike<number>, from: number, to: number): tf.Tensor2D =>
  tf.tensor2d(gatherRows(x, width, idx, from, to), [to - from, width]);

/** Measures the monitors of `rbm` on `train` (and `valid`) subsets. */
export function monitor(rbm: RBM, train: tf.Tensor2D, valid: tf.Tensor2D | undefined, seed: number): RbmMonitors {
  const out: RbmMonitors = {
    reconstructionError: rbm.reconstructionError(train),
    meanHiddenActivation: tf.tidy(() => tf.mean(rbm.hiddenProb(train)).dataSync()[0]),
  };
  if (rbm.visibleType === 'bernoulli') out.pseudoLogLikelihood = rbm.pseudoLogLikelihood(train, seed);
  if (valid) {
    out.validationReconstructionError = rbm.reconstructionError(valid);
    out.freeEnergyGap = tf.tidy(() => tf.sub(tf.mean(rbm.freeEnergy(valid)), tf.mean(rbm.freeEnergy(train))).dataSync()[0]);
  }
  return out;
}

/** Trains `rbm` on the rows of `x`; see the module comment and {@link RbmFitOptions}. */
export async function fitRbm(rbm: RBM, x: Float32Array, options: RbmFitOptions = {}): Promise<RbmFitResult> {
  checkOptions(options, KEYS, 'RBM fit');
  const gaussian = rbm.visibleType === 'gaussian';
  const {
    epochs = 10, batchSize = 100, learningRate = gaussian ? 0.01 : 0.1, method = 'cd', k = 1, momentum = 0.5, finalMomentum = 0.9,
    momentumSwitchEpoch = 5, weightDecay = 2e-4, sparsityTarget, sparsityCost = 0.1, sparsityDecay = 0.9, monitorSize = 1000, seed = 0,
  } = options;
  const nv = rbm.visible;
  const n = x.length / nv;
  if (!Number.isInteger(n) || n < batchSize) throw new OptionError(`fit needs at least batchSize (${batchSize}) rows of ${nv} values, got ${x.length / nv}.`);
  if (method !== 'cd' && method !== 'pcd') throw new OptionError(`method must be 'cd' or 'pcd', got ${JSON.stringify(method)}.`);
  if (!(Number.isInteger(k) && k >= 1)) throw new OptionError(`k must be a positive integer, got ${k}.`);
  const rng = new Rng(seed);
  const bernoulli = (p: tf.Tensor2D) => tf.cast(tf.less(uniformNoise(p.shape, rng), p), 'float32') as tf.Tensor2D;
  const sampleV = (mean: tf.Tensor2D) => (gaussian ? (tf.add(mean, normalNoise(mean.shape, rng)) as tf.Tensor2D) : bernoulli(mean));
  // CD-1 uses E[v|h] for the negative statistics; the visible sample is only drawn when a chain needs it.
  const needVisibleSample = (s: number) => s < k - 1 || method === 'pcd';

  const monitorIdx = Int32Array.from({ length: Math.min(monitorSize, n) }, (_, i) => i);
  const monTrain = rowsTensor(x, nv, permutation(n, new Rng(seed + 1)), 0, monitorIdx.length);
  const validRows = options.validation ? Math.min(monitorSize, options.validation.length / nv) : 0;
  const monValid = options.validation ? rowsTensor(options.validation, nv, monitorIdx, 0, validRows) : undefined;
  const velW = tf.variable(tf.zerosLike(rbm.W));
  const velV = tf.variable(tf.zerosLike(rbm.vb));
  const velH = tf.variable(tf.zerosLike(rbm.hb));
  const q = tf.variable(tf.fill([rbm.hidden], sparsityTarget ?? 0));
  // PCD's fantasy particles start as samples of data reconstructions' shape: random rows of x.
  const chain = method === 'pcd' ? tf.variable(rowsTensor(x, nv, permutation(n, rng), 0, batchSize)) : undefined;

  const update = (v0: tf.Tensor2D, m: number) =>
    tf.tidy(() => {
      const ph0 = rbm.hiddenProb(v0);
      let h = bernoulli(chain ? rbm.hiddenProb(chain as tf.Tensor2D) : ph0);
      let negV = v0;
      let negSample = v0;
      for (let s = 0; s < k; s++) {
        negV = rbm.visibleMean(h);
        if (needVisibleSample(s)) negSample = sampleV(negV);
        if (s < k - 1) h = bernoulli(rbm.hiddenProb(negSample));
      }
      if (chain) chain.assign(negSample);
      const phk = rbm.hiddenProb(negV);
      const scale = 1 / v0.shape[0];
      const gW = tf.sub(tf.mul(tf.sub(tf.matMul(v0, ph0, true, false), tf.matMul(negV, phk, true, false)), scale), tf.mul(weightDecay, rbm.W));
      const gV = tf.mean(tf.sub(v0, negV), 0);
      let gH = tf.mean(tf.sub(ph0, phk), 0);
      if (sparsityTarget !== undefined) {
        q.assign(tf.add(tf.mul(sparsityDecay, q), tf.mul(1 - sparsityDecay, tf.mean(ph0, 0))));
        gH = tf.add(gH, tf.mul(sparsityCost, tf.sub(sparsityTarget, q)));
      }
      for (const [vel, param, g] of [[velW, rbm.W, gW], [velV, rbm.vb, gV], [velH, rbm.hb, gH]] as const) {
        vel.assign(tf.add(tf.mul(m, vel), tf.mul(learningRate, g)));
        param.assign(tf.add(param, vel));
      }
    });

  const initial = monitor(rbm, monTrain, monValid, seed);
  const history: RbmEpochLog[] = [];
  const batches = Math.floor(n / batchSize);
  let trainSeconds = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const t0 = performance.now();
    const order = permutation(n, rng);
    const m = epoch < momentumSwitchEpoch ? momentum : finalMomentum;
    for (let b = 0; b < batches; b++) {
      const v0 = rowsTensor(x, nv, order, b * batchSize, (b + 1) * batchSize);
      update(v0, m);
      v0.dispose();
      if (b % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
    }
    await rbm.W.data(); // wait for the queued kernels before reading the clock
    const seconds = (performance.now() - t0) / 1000;
    trainSeconds += seconds;
    const log: RbmEpochLog = { epoch: epoch + 1, seconds, samplesPerSecond: (batches * batchSize) / seconds, ...monitor(rbm, monTrain, monValid, seed + epoch + 1) };
    history.push(log);
    if (options.verbose) process.stderr.write(`${formatLog(log)}\n`);
    options.onEpoch?.(log);
  }
  tf.dispose([monTrain, velW, velV, velH, q, ...(monValid ? [monValid] : []), ...(chain ? [chain] : [])]);
  return { initial, history, trainSeconds, samplesPerSecond: (epochs * batches * batchSize) / Math.max(trainSeconds, 1e-9) };
}

/** One line for an epoch log, e.g. for progress output. */
export function formatLog(log: RbmEpochLog): string {
  const parts = [`epoch ${log.epoch}`, `recon ${log.reconstructionError.toFixed(5)}`];
  if (log.validationReconstructionError !== undefined) parts.push(`val recon ${log.validationReconstructionError.toFixed(5)}`);
  if (log.pseudoLogLikelihood !== undefined) parts.push(`PLL ${log.pseudoLogLikelihood.toFixed(2)}`);
  if (log.freeEnergyGap !== undefined) parts.push(`F gap ${log.freeEnergyGap.toFixed(3)}`);
  parts.push(`${log.seconds.toFixed(1)} s`, `${Math.round(log.samplesPerSecond)} samples/s`);
  return parts.join(', ');
}
