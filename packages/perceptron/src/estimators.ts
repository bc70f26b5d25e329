import {
  assertShapesMatch, exportOnnx, fit, type FitOptions, type FitResult, OptionError, saveModel, ShapeError, tf,
} from '@neurozoo/core';
import { type Features, type Labels, toFeatureTensor, toLabelTensor } from './data.js';
import { mlp, type MlpConfig } from './builders.js';

/** Options shared by {@link MLPClassifier} and {@link MLPRegressor}. */
export interface EstimatorConfig extends Omit<MlpConfig, 'outputs' | 'outputActivation' | 'inputSize'> {
  inputSize: number;
  /** 'adam' (default), 'sgd' or 'rmsprop'. */
  optimizer?: 'adam' | 'sgd' | 'rmsprop';
  /** Optimizer step size (default 1e-3 for adam/rmsprop, 0.1 for sgd). */
  learningRate?: number;
}

function makeOptimizer(name: EstimatorConfig['optimizer'] = 'adam', lr?: number): tf.Optimizer {
  switch (name) {
    case 'adam': return tf.train.adam(lr ?? 1e-3);
    case 'sgd': return tf.train.sgd(lr ?? 0.1);
    case 'rmsprop': return tf.train.rmsprop(lr ?? 1e-3);
    default: throw new OptionError(`optimizer must be 'adam', 'sgd' or 'rmsprop', got '${name}'`);
  }
}

/** What fit/predict/evaluate/export share: the model, input checks, ONNX export, saving. */
abstract class DenseEstimator {
  readonly model: tf.Sequential;
  protected constructor(model: tf.Sequential) {
    this.model = model;
  }

  /** Checks features against the model's input before tfjs sees them. */
  protected features(x: Features): tf.Tensor2D {
    const t = toFeatureTensor(x);
    assertShapesMatch([t], this.model.inputs, 'x');
    return t;
  }

  /** The model's outputs for `x`, row-major; frees only the tensors this call made. */
  protected run(x: Features): Float32Array {
    const xt = this.features(x);
    const out = this.model.predict(xt) as tf.Tensor;
    const values = out.dataSync() as Float32Array;
    tf.dispose([out, ...(xt !== x ? [xt] : [])]);
    return values;
  }

  /** Exports the trained model as ONNX ModelProto bytes (opset 17 by default). */
  exportOnnx(options: { opset?: number } = {}): Promise<Uint8Array> {
    return exportOnnx(this.model, { ...options, metadata: this.metadata() });
  }

  /** Saves the tfjs model (model.json + weights.bin) to `dir`. */
  save(dir: string): Promise<void> {
    return saveModel(this.model, dir);
  }

  protected abstract metadata(): Record<string, string>;
}

/** {@link fit} options, with validation data given as features and integer labels. */
export type ClassifierFitOptions = Omit<FitOptions, 'validationData'> & { validationData?: [Features, Labels] };

/**
 * An MLP classifier with the few lines a scikit-learn or Keras user expects.
 *
 * @example
 * const clf = new MLPClassifier({ inputSize: 4, hidden: [16], classes: 3 });
 * await clf.fit(x, y, { epochs: 50 });
 * clf.predict(x); clf.evaluate(xTest, yTest); await clf.exportOnnx();
 */
export class MLPClassifier extends DenseEstimator {
  readonly classes: number;
  constructor(config: EstimatorConfig & { classes: number }) {
    const { classes, optimizer, learningRate, ...net } = config;
    if (!(Number.isInteger(classes) && classes >= 2)) throw new OptionError(`classes must be an integer >= 2, got ${classes}`);
    const model = mlp({ ...net, outputs: classes, outputActivation: 'softmax' });
    model.compile({ optimizer: makeOptimizer(optimizer, learningRate), loss: 'categoricalCrossentropy', metrics: ['acc'] });
    super(model);
    this.classes = classes;
  }

  /** Trains on features `x` and integer labels `y` with core's {@link fit} loop. */
  async fit(x: Features, y: Labels, options: ClassifierFitOptions = {}): Promise<FitResult> {
    const xt = this.features(x);
    const yt = this.targets(y);
    const validationData = options.validationData && ([this.features(options.validationData[0]), this.targets(options.validationData[1])] as [tf.Tensor, tf.Tensor]);
    try {
      return await fit(this.model, xt, yt, { ...options, validationData });
    } finally {
      // Dispose what this call created, never the caller's own tensors.
      const userTensors = [x, options.validationData?.[0]];
      tf.dispose([yt, validationData?.[1], xt, validationData?.[0]].filter((t): t is tf.Tensor => t != null && !userTensors.includes(t)));
    }
  }

  private targets(y: Labels): tf.Tensor {
    return tf.tidy(() => tf.oneHot(toLabelTensor(y, this.classes), this.classes).toFloat());
  }

  /** Class probabilities [n, classes]. */
  predictProba(x: Features): Float32Array {
    return this.run(x);
  }

  /** Most likely class of every sample. */
  predict(x: Features): Int32Array {
    const probs = this.predictProba(x);
    const n = probs.length / this.classes;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < this.classes; c++) if (probs[i * this.classes + c] > probs[i * this.classes + best]) best = c;
      out[i] = best;
    }
    return out;
  }

  /** Accuracy and mean cross-entropy on labelled data. */
  evaluate(x: Features, y: Labels): { accuracy: number; loss: number } {
    const probs = this.predictProba(x);
    const labels = toLabelTensor(y, this.classes);
    const ids = labels.dataSync();
    labels.dispose();
    const n = ids.length;
    if (probs.length !== n * this.classes) throw new ShapeError(`x has ${probs.length / this.classes} samples but y has ${n}`);
    let correct = 0;
    let loss = 0;
    const predicted = this.predict(x);
    for (let i = 0; i < n; i++) {
      if (predicted[i] === ids[i]) correct++;
      loss -= Math.log(Math.max(probs[i * this.classes + ids[i]], 1e-7));
    }
    return { accuracy: correct / n, loss: loss / n };
  }

  protected metadata(): Record<string, string> {
    return { 'neurozoo.family': 'perceptron', 'neurozoo.task': 'classification', 'neurozoo.classes': String(this.classes) };
  }
}

/** An MLP regressor: linear head, mean squared error. */
export class MLPRegressor extends DenseEstimator {
  readonly outputs: number;
  constructor(config: EstimatorConfig & { outputs?: number }) {
    const { outputs = 1, optimizer, learningRate, ...net } = config;
    const model = mlp({ ...net, outputs, outputActivation: 'linear' });
    model.compile({ optimizer: makeOptimizer(optimizer, learningRate), loss: 'meanSquaredError', metrics: ['mae'] });
    super(model);
    this.outputs = outputs;
  }

  /** Trains on features `x` and real targets `y` ([n] or [n, outputs]). */
  async fit(x: Features, y: tf.Tensor | number[] | number[][], options: FitOptions = {}): Promise<FitResult> {
    const xt = this.features(x);
    const yt = y instanceof tf.Tensor ? y : tf.tensor(y as number[]).reshape([-1, this.outputs]);
    try {
      return await fit(this.model, xt, yt, options);
    } finally {
      if (yt !== y) yt.dispose();
      if (xt !== x) xt.dispose();
    }
  }

  /** Predictions, [n * outputs] row-major. */
  predict(x: Features): Float32Array {
    return this.run(x);
  }

  /** Mean squared and mean absolute error. */
  evaluate(x: Features, y: ArrayLike<number>): { mse: number; mae: number } {
    const p = this.predict(x);
    if (p.length !== y.length) throw new ShapeError(`expected ${p.length} targets, got ${y.length}`);
    let mse = 0;
    let mae = 0;
    for (let i = 0; i < p.length; i++) {
      const d = p[i] - y[i];
      mse += d * d;
      mae += Math.abs(d);
    }
    return { mse: mse / p.length, mae: mae / p.length };
  }

  protected metadata(): Record<string, string> {
    return { 'neurozoo.family': 'perceptron', 'neurozoo.task': 'regression', 'neurozoo.outputs': String(this.outputs) };
  }
}
