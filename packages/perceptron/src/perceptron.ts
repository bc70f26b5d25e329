import { checkOptions, DataError, OptionError, permutation, Rng, ShapeError, tf } from '@neurozoo/core';

/** Options of {@link Perceptron.fit}. */
export interface PerceptronFitOptions {
  /** Maximum passes over the data (default 100); training stops at the first error-free pass. */
  epochs?: number;
  /** Step size of the update (default 1; for the binary rule any positive value converges). */
  learningRate?: number;
  /** Seed of the per-epoch sample order (default 0). */
  seed?: number;
}

/** What a perceptron run did: whether it converged, and the mistakes of each pass. */
export interface PerceptronFitResult {
  converged: boolean;
  epochs: number;
  mistakesPerEpoch: number[];
}

/**
 * Rosenblatt's perceptron, trained by the perceptron learning rule, not gradient descent:
 * for a misclassified sample, add it to the weights of its true class (and, with more than
 * two classes, subtract it from the weights of the class that wrongly won). On linearly
 * separable data the rule converges in a finite number of updates; on XOR it never does.
 *
 * With two classes it is the classic single threshold unit: class 1 iff w·x + b > 0.
 */
export class Perceptron {
  readonly inputSize: number;
  readonly classes: number;
  /** Weights [inputSize, units], row-major; units = 1 for two classes, else `classes`. */
  readonly weights: Float32Array;
  readonly bias: Float32Array;

  constructor(config: { inputSize: number; classes?: number }) {
    checkOptions(config, ['inputSize', 'classes'], 'perceptron');
    const { inputSize, classes = 2 } = config;
    if (!(Number.isInteger(inputSize) && inputSize > 0)) throw new OptionError(`inputSize must be a positive integer, got ${inputSize}`);
    if (!(Number.isInteger(classes) && classes >= 2)) throw new OptionError(`classes must be an integer >= 2, got ${classes}`);
    this.inputSize = inputSize;
    this.classes = classes;
    const units = classes === 2 ? 1 : classes;
    this.weights = new Float32Array(inputSize * units);
    this.bias = new Float32Array(units);
  }

  private get units(): number {
    return this.bias.length;
  }

  /** Scores of one sample (row `i` of `x`) into `out`. */
  private scores(x: Float32Array, i: number, out: Float64Array): void {
    const f = this.inputSize;
    for (let u = 0; u < this.units; u++) out[u] = this.bias[u];
    for (let k = 0; k < f; k++) {
      const v = x[i * f + k];
      if (v === 0) continue;
      for (let u = 0; u < this.units; u++) out[u] += v * this.weights[k * this.units + u];
    }
  }

  private decide(s: Float64Array): number {
    if (this.units === 1) return s[0] > 0 ? 1 : 0;
    let best = 0;
    for (let u = 1; u < this.units; u++) if (s[u] > s[best]) best = u;
    return best;
  }

  private check(x: Float32Array, y?: ArrayLike<number>): number {
    if (x.length % this.inputSize !== 0) {
      throw new ShapeError(`x must hold rows of ${this.inputSize} features; its length ${x.length} is not a multiple of ${this.inputSize}`);
    }
    const n = x.length / this.inputSize;
    if (y && y.length !== n) throw new ShapeError(`x has ${n} samples but y has ${y.length}`);
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) throw new DataError(`x contains ${x[i]} at sample ${Math.floor(i / this.inputSize)}; expected finite numbers`);
    }
    return n;
  }

  /** Trains on row-major features `x` [n, inputSize] and class ids `y`. */
  fit(x: Float32Array, y: ArrayLike<number>, options: PerceptronFitOptions = {}): PerceptronFitResult {
    checkOptions(options, ['epochs', 'learningRate', 'seed'], 'perceptron fit');
    const n = this.check(x, y);
    const { epochs = 100, learningRate: lr = 1, seed = 0 } = options;
    const rng = new Rng(seed);
    const s = new Float64Array(this.units);
    const mistakesPerEpoch: number[] = [];
    const f = this.inputSize;
    const add = (i: number, unit: number, sign: number) => {
      this.bias[unit] += sign * lr;
      for (let k = 0; k < f; k++) this.weights[k * this.units + unit] += sign * lr * x[i * f + k];
    };
    for (let epoch = 0; epoch < epochs; epoch++) {
      let mistakes = 0;
      for (const i of permutation(n, rng)) {
        this.scores(x, i, s);
        const predicted = this.decide(s);
        const target = y[i];
        if (predicted === target) continue;
        mistakes++;
        if (this.units === 1) add(i, 0, target === 1 ? 1 : -1);
        else {
          add(i, target, 1);
          add(i, predicted, -1);
        }
      }
      mistakesPerEpoch.push(mistakes);
      if (mistakes === 0) return { converged: true, epochs: epoch + 1, mistakesPerEpoch };
    }
    return { converged: false, epochs, mistakesPerEpoch };
  }

  /** Class of every row of `x`. */
  predict(x: Float32Array): Int32Array {
    const n = this.check(x);
    const s = new Float64Array(this.units);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      this.scores(x, i, s);
      out[i] = this.decide(s);
    }
    return out;
  }

  /** Fraction of rows classified correctly. */
  accuracy(x: Float32Array, y: ArrayLike<number>): number {
    const p = this.predict(x);
    let ok = 0;
    for (let i = 0; i < p.length; i++) if (p[i] === y[i]) ok++;
    return ok / p.length;
  }

  /**
   * The perceptron as a tfjs model that outputs one score per class, so argmax is the
   * perceptron's decision and the model exports to ONNX like any classifier. Two classes
   * get scores (-s/2, s/2) for the unit's s: argmax picks class 1 exactly when s > 0.
   */
  toModel(): tf.Sequential {
    const binary = this.units === 1;
    const kernel = new Float32Array(this.inputSize * this.classes);
    const bias = new Float32Array(this.classes);
    for (let k = 0; k < this.inputSize; k++) {
      for (let c = 0; c < this.classes; c++) {
        kernel[k * this.classes + c] = binary ? (c === 1 ? 0.5 : -0.5) * this.weights[k] : this.weights[k * this.classes + c];
      }
    }
    for (let c = 0; c < this.classes; c++) bias[c] = binary ? (c === 1 ? 0.5 : -0.5) * this.bias[0] : this.bias[c];
    const model = tf.sequential({ name: 'perceptron' });
    model.add(tf.layers.dense({ inputShape: [this.inputSize], units: this.classes, name: 'scores' }));
    tf.tidy(() => model.layers[0].setWeights([tf.tensor2d(kernel, [this.inputSize, this.classes]), tf.tensor1d(bias)]));
    return model;
  }
}
