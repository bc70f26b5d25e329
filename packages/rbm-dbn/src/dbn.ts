/**
 * The deep belief network (Hinton, Osindero & Teh 2006): a stack of RBMs trained greedily, layer
 * by layer: the RBM on layers 1-2 first, then one on layers 2-3 fed the first one's hidden
 * probabilities, and so on up to the top. The stack then initialises a sigmoid MLP (plus a
 * softmax head) fine-tuned by backprop, and generates by Gibbs sampling in the top RBM followed
 * by one top-down pass through the lower RBMs' generative weights.
 */
import { type Callback, type FitResult, fit, learningRateScheduler, OptionError, tf, warmupCosine, withSeedSync } from '@neurozoo/core';
import { RBM, type VisibleType } from './rbm.js';
import type { RbmFitOptions, RbmFitResult } from './train.js';

/** Config of {@link DBN}. */
export interface DbnConfig {
  /** Layer sizes, visible first, e.g. [784, 500, 500, 2000]. */
  sizes: number[];
  /** Visible units of the first RBM (default 'bernoulli'); the upper RBMs are Bernoulli-Bernoulli. */
  visibleType?: VisibleType;
  /** Seeds the initial weights (default 0). */
  seed?: number;
}

/** Options of {@link DBN.pretrain}: RBM fit options for every layer, with per-layer overrides. */
export interface DbnPretrainOptions extends RbmFitOptions {
  /** Overrides for layer i (e.g. a smaller learning rate for a Gaussian first layer). */
  layers?: RbmFitOptions[];
  /** Called when layer i (0-based) has been trained. */
  onLayer?: (layer: number, result: RbmFitResult) => void;
}

/** Options of {@link fineTune}. */
export interface FineTuneOptions {
  epochs?: number;
  batchSize?: number;
  /** 'sgd' (default: SGD with momentum) or 'adam'. */
  optimizer?: 'sgd' | 'adam';
  /** Learning rate (default 0.1 for SGD, 3e-4 for Adam), decayed by a cosine schedule to 0 over `epochs`. */
  learningRate?: number;
  /** SGD momentum (default 0.9). */
  momentum?: number;
  seed?: number;
  verbose?: boolean | 'auto';
  validationData?: [tf.Tensor, tf.Tensor];
  callbacks?: Callback[];
  checkpoint?: { dir: string; every?: number; keep?: number };
  resume?: boolean;
}

/** A stack of RBMs; see the module comment. */
export class DBN {
  readonly sizes: number[];
  readonly rbms: RBM[];

  constructor(config: DbnConfig) {
    const { sizes, visibleType = 'bernoulli', seed = 0 } = config;
    if (sizes.length < 2) throw new OptionError(`A DBN needs at least 2 layer sizes, got ${JSON.stringify(sizes)}.`);
    this.sizes = [...sizes];
    this.rbms = sizes.slice(1).map((hidden, i) => new RBM({ visible: sizes[i], hidden, visibleType: i === 0 ? visibleType : 'bernoulli', seed: seed + i }));
  }

  /** Greedy layer-wise pretraining on the rows of `x` (and `validation`); returns each layer's fit result. */
  async pretrain(x: Float32Array, options: DbnPretrainOptions = {}): Promise<RbmFitResult[]> {
    const { layers = [], onLayer, validation, ...common } = options;
    const results: RbmFitResult[] = [];
    let data = x;
    let valid = validation;
    for (let i = 0; i < this.rbms.length; i++) {
      const rbm = this.rbms[i];
      const result = await rbm.fit(data, { ...common, ...(valid ? { validation: valid } : {}), ...layers[i] });
      results.push(result);
      onLayer?.(i, result);
      if (i < this.rbms.length - 1) {
        data = transformRows(rbm, data);
        if (valid) valid = transformRows(rbm, valid);
      }
    }
    return results;
  }

  /** Hidden probabilities of the top layer for the rows of `x` (the DBN's features). */
  transform(x: Float32Array): Float32Array {
    return this.rbms.reduce((data, rbm) => transformRows(rbm, data), x);
  }

  /** The recognition stack as a tfjs model [batch, sizes[0]] -> [batch, top]: the feature extractor. */
  featureModel(name = 'dbn_features'): tf.Sequential {
    const model = tf.sequential({ name });
    this.rbms.forEach((rbm, i) => model.add(rbm.toLayer(`rbm_${i + 1}`)));
    return model;
  }

  /** The MLP initialised from the RBMs (sigmoid layers) with a softmax head of `classes` units (Glorot, seeded). */
  classifier(classes: number, seed = 0, name = 'dbn_classifier'): tf.Sequential {
    const model = this.featureModel(name);
    withSeedSync(seed, () => model.add(tf.layers.dense({ units: classes, activation: 'softmax', name: 'softmax_head' })));
    return model;
  }

  /**
   * Generates `n` samples: `steps` Gibbs steps in the top RBM (from noise, or from the top-level
   * representation of `from` rows), then one mean-field top-down pass. Returns [n, sizes[0]].
   */
  generate(options: { n?: number; steps?: number; seed?: number; from?: Float32Array } = {}): tf.Tensor2D {
    const top = this.rbms[this.rbms.length - 1];
    const lower = this.rbms.slice(0, -1);
    const from = options.from ? lower.reduce((data, rbm) => transformRows(rbm, data), options.from) : undefined;
    const v = top.sample({ n: options.n ?? 16, steps: options.steps ?? 200, seed: options.seed ?? 0, ...(from ? { from } : {}) });
    return topDown(lower, v);
  }

  /** Frees every RBM. */
  dispose(): void {
    for (const rbm of this.rbms) rbm.dispose();
  }
}

/** Mean-field top-down pass: E[v|h] through `rbms` from the last to the first (disposes `h`). */
export function topDown(rbms: RBM[], h: tf.Tensor2D): tf.Tensor2D {
  let v = h;
  for (let i = rbms.length - 1; i >= 0; i--) {
    const next = rbms[i].visibleMean(v);
    v.dispose();
    v = next;
  }
  return v;
}

/** `rbm.transform` over the rows of `x` in chunks, as a Float32Array. */
export function transformRows(rbm: RBM, x: Float32Array, chunk = 2000): Float32Array {
  const n = x.length / rbm.visible;
  const out = new Float32Array(n * rbm.hidden);
  for (let from = 0; from < n; from += chunk) {
    const rows = Math.min(chunk, n - from);
    const h = rbm.transform(x.subarray(from * rbm.visible, (from + rows) * rbm.visible));
    out.set(h.dataSync(), from * rbm.hidden);
    h.dispose();
  }
  return out;
}

/** A sigmoid MLP of the same shape with Glorot initialisation: the "no pretraining" baseline. */
export function plainClassifier(sizes: number[], classes: number, seed = 0, name = 'mlp_no_pretraining'): tf.Sequential {
  return withSeedSync(seed, () => {
    const model = tf.sequential({ name });
    sizes.slice(1).forEach((units, i) => model.add(tf.layers.dense({ units, activation: 'sigmoid', ...(i === 0 ? { inputShape: [sizes[0]] } : {}) })));
    model.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
    return model;
  });
}

/**
 * Supervised fine-tuning by backprop: compiles `model` with SGD + momentum (or Adam) and categorical
 * cross-entropy, then trains it with core's `fit` (seeded shuffling, checkpoints, cosine decay).
 */
export async function fineTune(model: tf.LayersModel, x: Float32Array, y: Int32Array, classes: number, options: FineTuneOptions = {}): Promise<FitResult> {
  const { epochs = 10, batchSize = 100, optimizer = 'sgd', learningRate: rate, momentum = 0.9, seed = 0, callbacks = [], ...rest } = options;
  const learningRate = rate ?? (optimizer === 'adam' ? 3e-4 : 0.1);
  const features = model.inputs[0].shape[1] as number;
  const opt = optimizer === 'adam' ? tf.train.adam(learningRate) : tf.train.momentum(learningRate, momentum);
  model.compile({ optimizer: opt, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const xs = tf.tensor2d(x, [y.length, features]);
  const ys = tf.oneHot(tf.tensor1d(y, 'int32'), classes).toFloat();
  try {
    return await fit(model, xs, ys, { epochs, batchSize, seed, callbacks: [learningRateScheduler(warmupCosine(epochs, 0, 0)), ...callbacks], ...rest });
  } finally {
    tf.dispose([xs, ys]);
  }
}

/** Classification accuracy of `model` on rows `x` with labels `y` (in chunks). */
export function accuracy(model: tf.LayersModel, x: Float32Array, y: Int32Array, chunk = 2000): number {
  const features = x.length / y.length;
  let correct = 0;
  for (let from = 0; from < y.length; from += chunk) {
    const rows = Math.min(chunk, y.length - from);
    const pred = tf.tidy(() => (model.predict(tf.tensor2d(x.subarray(from * features, (from + rows) * features), [rows, features])) as tf.Tensor).argMax(-1));
    const classes = pred.dataSync();
    pred.dispose();
    for (let i = 0; i < rows; i++) if (classes[i] === y[from + i]) correct++;
  }
  return correct / y.length;
}
