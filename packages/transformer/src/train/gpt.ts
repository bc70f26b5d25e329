/**
 * Training sequence models with teacher forcing through core's `fit` (seeded, checkpoints,
 * resume): Adam with gradient clipping by global norm and a per-step warm-up + cosine learning
 * rate (core's `warmupCosine` on steps), label-smoothed token cross-entropy.
 */
import { clipByGlobalNorm, type FitResult, fit, tf, warmupCosine } from '@neurozoo/core';
import { lossModel, meanOfOutput } from '../builders/gpt.js';
import { tokenCrossEntropy } from '../layers/masking.js';

/**
 * Adam whose gradients are clipped to a global L2 norm and whose rate follows warm-up + cosine
 * over optimizer steps. The step count is Adam's own `iterations`, saved in checkpoints, so a
 * resumed run continues the schedule where it stopped.
 */
export class ClippedAdam extends tf.AdamOptimizer {
  /**
   * @param schedule warm-up + cosine over `totalSteps`, or any function of the step (Adam's
   * `iterations`) and the base rate, e.g. one that follows a time budget; null = constant rate.
   */
  constructor(
    readonly baseRate: number,
    readonly clipNorm: number,
    readonly schedule: { totalSteps: number; warmupSteps: number; minRate?: number } | ((step: number, baseRate: number) => number) | null = null,
  ) {
    super(baseRate, 0.9, 0.999, 1e-8);
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    const named = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor: tensor as tf.Tensor }));
    if (typeof this.schedule === 'function') this.learningRate = this.schedule(this.iterations, this.baseRate);
    else if (this.schedule) {
      const { totalSteps, warmupSteps, minRate = 0 } = this.schedule;
      this.learningRate = warmupCosine(totalSteps, warmupSteps, minRate)(this.iterations, this.baseRate);
    }
    if (!(this.clipNorm > 0)) {
      super.applyGradients(variableGradients);
      return;
    }
    const tensors = clipByGlobalNorm(named.map((g) => g.tensor), this.clipNorm);
    const clipped = named.map((g, i) => ({ name: g.name, tensor: tensors[i] }));
    super.applyGradients(clipped);
    tf.dispose(clipped.map((g) => g.tensor));
  }
}

/** Options of {@link trainSequenceModel}. */
export interface TrainSequenceOptions {
  epochs: number;
  batchSize: number;
  seed?: number;
  /** Peak learning rate (default 2e-3). */
  learningRate?: number;
  /** Warm-up steps (default 5% of all steps). */
  warmupSteps?: number;
  /** Global gradient norm limit (default 1; 0 = no clipping). */
  clipNorm?: number;
  /** Label smoothing ε (default 0.1). */
  labelSmoothing?: number;
  /** Target id that is padding (no loss), default none. */
  ignoreId?: number;
  verbose?: boolean | 'auto';
  checkpointDir?: string;
  resume?: boolean;
}

/**
 * Trains `model` (inputs → logits [b, T, V]) on x (one tensor, or several for encoder-decoder
 * models) against next-token targets y [n, T] with teacher forcing: the targets are the inputs
 * shifted by one, so every position learns in one pass.
 */
export async function trainSequenceModel(model: tf.LayersModel, x: tf.Tensor | tf.Tensor[], y: tf.Tensor, options: TrainSequenceOptions): Promise<FitResult> {
  const xs = Array.isArray(x) ? x : [x];
  const n = xs[0].shape[0];
  const steps = options.epochs * Math.ceil(n / options.batchSize);
  const trainer = lossModel(model, { labelSmoothing: options.labelSmoothing ?? 0.1, ignoreId: options.ignoreId });
  trainer.compile({
    optimizer: new ClippedAdam(options.learningRate ?? 2e-3, options.clipNorm ?? 1, { totalSteps: steps, warmupSteps: options.warmupSteps ?? Math.ceil(steps * 0.05) }),
    loss: meanOfOutput,
  });
  const dummy = tf.zeros([n, 1]);
  try {
    return await fit(trainer, [...xs, y], dummy, {
      epochs: options.epochs,
      batchSize: options.batchSize,
      seed: options.seed ?? 0,
      verbose: options.verbose ?? 'auto',
      ...(options.checkpointDir ? { checkpoint: { dir: options.checkpointDir }, resume: options.resume ?? false } : {}),
    });
  } finally {
    dummy.dispose();
  }
}

/** Test metrics of a sequence model: mean token cross-entropy (no smoothing), perplexity, bits per token, next-token accuracy. */
export function evaluateSequenceModel(model: tf.LayersModel, x: tf.Tensor | tf.Tensor[], y: tf.Tensor, batchSize = 64, ignoreId = -1): Record<string, number> {
  const xs = Array.isArray(x) ? x : [x];
  const n = xs[0].shape[0];
  let loss = 0;
  let correct = 0;
  let tokens = 0;
  for (let from = 0; from < n; from += batchSize) {
    const size = Math.min(batchSize, n - from);
    const [l, c, t] = tf.tidy(() => {
      const logits = model.predict(xs.map((v) => v.slice(from, size))) as tf.Tensor;
      const target = y.slice(from, size);
      const keep = ignoreId < 0 ? tf.onesLike(target) : tf.notEqual(target, ignoreId).toFloat();
      const ce = tokenCrossEntropy(logits, target, 0, -1).mul(keep).sum();
      const hit = tf.equal(logits.argMax(-1), target.toInt()).toFloat().mul(keep).sum();
      return [ce.dataSync()[0], hit.dataSync()[0], keep.sum().dataSync()[0]];
    });
    loss += l;
    correct += c;
    tokens += t;
  }
  const mean = loss / Math.max(tokens, 1);
  return { loss: mean, perplexity: Math.exp(mean), bitsPerToken: mean / Math.LN2, accuracy: correct / Math.max(tokens, 1) };
}

/**
 * Bits per token of a long token sequence (a whole held-out text) under a model with a fixed
 * context of `window` tokens: windows overlap by `window - stride`, and each token is scored
 * once, in the first window that gives it at least `window - stride` tokens of context (the
 * first window scores all of its tokens). Non-overlapping windows would score the first token
 * of every window with no context at all, which understates a model with a long context.
 * Scores `ids[1..]`, each given the tokens before it.
 */
export function evaluateText(model: tf.LayersModel, ids: ArrayLike<number>, window: number, stride = Math.max(1, window >> 1), batchSize = 64): { bitsPerToken: number; accuracy: number; tokens: number } {
  if (!(Number.isInteger(stride) && stride >= 1 && stride <= window)) throw new RangeError(`stride must be an integer in [1, ${window}], got ${stride}`);
  if (ids.length < 2) throw new RangeError(`evaluateText needs at least 2 tokens, got ${ids.length}`);
  const starts: number[] = [];
  for (let s = 0; s + window < ids.length; s += stride) starts.push(s);
  const last = Math.max(0, ids.length - 1 - window);
  if (starts.at(-1) !== last) starts.push(last);
  const width = Math.min(window, ids.length - 1);
  let covered = 0; // targets at positions < covered (inputs ids[p], target ids[p + 1]) are scored
  let loss = 0;
  let correct = 0;
  let tokens = 0;
  for (let from = 0; from < starts.length; from += batchSize) {
    const batch = starts.slice(from, from + batchSize);
    const x = new Float32Array(batch.length * width);
    const y = new Int32Array(batch.length * width);
    const keep = new Float32Array(batch.length * width);
    batch.forEach((s, b) => {
      for (let t = 0; t < width; t++) {
        x[b * width + t] = ids[s + t];
        y[b * width + t] = ids[s + t + 1];
        keep[b * width + t] = s + t >= covered ? 1 : 0;
      }
      covered = s + width;
    });
    const [l, c, n] = tf.tidy(() => {
      const logits = model.predict(tf.tensor2d(x, [batch.length, width])) as tf.Tensor;
      const target = tf.tensor2d(y, [batch.length, width], 'int32');
      const mask = tf.tensor2d(keep, [batch.length, width]);
      const ce = tokenCrossEntropy(logits, target, 0, -1).mul(mask).sum();
      const hit = tf.equal(logits.argMax(-1), target).toFloat().mul(mask).sum();
      return [ce.dataSync()[0], hit.dataSync()[0], mask.sum().dataSync()[0]];
    });
    loss += l;
    correct += c;
    tokens += n;
  }
  return { bitsPerToken: loss / tokens / Math.LN2, accuracy: correct / tokens, tokens };
}
