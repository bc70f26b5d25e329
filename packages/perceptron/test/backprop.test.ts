import { initBackend, Rng, tf } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { backward, describeGradients, forward, gradientDescentStep, layersFromModel, lossOf, mlp, type ScratchLoss } from '../src/index.js';

beforeAll(async () => {
  await initBackend();
});

function randomBatch(n: number, features: number, classes: number, seed: number) {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: n * features }, () => rng.next() * 2 - 1);
  const y = new Float64Array(n * classes);
  for (let r = 0; r < n; r++) y[r * classes + rng.int(classes)] = 1;
  return { x, y };
}

/** Gradients of the same loss by tfjs autodiff, per weight in model.trainableWeights order. */
function tfjsGradients(model: tf.LayersModel, x: Float64Array, y: Float64Array, n: number, loss: ScratchLoss) {
  return tf.tidy(() => {
    const xt = tf.tensor2d(Float32Array.from(x), [n, x.length / n]);
    const yt = tf.tensor2d(Float32Array.from(y), [n, y.length / n]);
    const { value, grads } = tf.variableGrads(() => {
      const out = model.apply(xt) as tf.Tensor;
      return (loss === 'mse' ? tf.losses.meanSquaredError(yt, out) : tf.metrics.categoricalCrossentropy(yt, out).mean()) as tf.Scalar;
    });
    return { loss: value.dataSync()[0], grads: model.trainableWeights.map((w) => Array.from(grads[w.originalName].dataSync())) };
  });
}

const cases: Array<{ name: string; hidden: number[]; activation: 'relu' | 'sigmoid' | 'tanh'; loss: ScratchLoss }> = [
  { name: 'relu, softmax + cross-entropy', hidden: [12, 8], activation: 'relu', loss: 'crossentropy' },
  { name: 'sigmoid, mse', hidden: [10], activation: 'sigmoid', loss: 'mse' },
  { name: 'tanh, deep (5 hidden layers), cross-entropy', hidden: [9, 8, 7, 6, 5], activation: 'tanh', loss: 'crossentropy' },
  { name: 'relu, deep (4 hidden layers), mse', hidden: [16, 12, 8, 6], activation: 'relu', loss: 'mse' },
];

describe('backpropagation by hand', () => {
  for (const c of cases) {
    it(`equals tfjs autodiff within 1e-5: ${c.name}`, () => {
      const classes = 4;
      const model = mlp({ inputSize: 6, hidden: c.hidden, outputs: classes, activation: c.activation, outputActivation: c.loss === 'mse' ? 'linear' : 'softmax', seed: 3 });
      const { x, y } = randomBatch(5, 6, classes, 9);
      const layers = layersFromModel(model);
      const trace = forward(layers, x, 5);
      const grads = backward(layers, trace, y, c.loss);
      const reference = tfjsGradients(model, x, y, 5, c.loss);
      expect(lossOf(trace, y, c.loss)).toBeCloseTo(reference.loss, 5);
      let maxError = 0;
      grads.forEach((g, l) => {
        [g.dWeights, g.dBias].forEach((mine, k) => {
          const theirs = reference.grads[2 * l + k];
          expect(mine.length).toBe(theirs.length);
          mine.forEach((v, i) => { maxError = Math.max(maxError, Math.abs(v - theirs[i])); });
        });
      });
      expect(maxError).toBeLessThanOrEqual(1e-5);
      expect(grads.some((g) => g.dWeights.some((v) => v !== 0))).toBe(true);
    });
  }

  it('describeGradients prints one line per layer with the L2 norms of dW, db and delta', () => {
    const grads = [
      { dWeights: Float64Array.from([3, 4]), dBias: Float64Array.from([0]), delta: Float64Array.from([1, 1, 1, 1]) },
      { dWeights: Float64Array.from([1e-4]), dBias: Float64Array.from([-2]), delta: Float64Array.from([0.5]) },
    ];
    expect(describeGradients(grads)).toEqual([
      'layer 1: |dL/dW| = 5.000e+0  |dL/db| = 0.000e+0  |delta| = 2.000e+0',
      'layer 2: |dL/dW| = 1.000e-4  |dL/db| = 2.000e+0  |delta| = 5.000e-1',
    ]);
  });

  it('gradient descent with these gradients lowers the loss', () => {
    const model = mlp({ inputSize: 6, hidden: [8], outputs: 3, activation: 'sigmoid', seed: 1 });
    const { x, y } = randomBatch(16, 6, 3, 2);
    const layers = layersFromModel(model);
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      const trace = forward(layers, x, 16);
      losses.push(lossOf(trace, y, 'crossentropy'));
      gradientDescentStep(layers, backward(layers, trace, y, 'crossentropy'), 0.5);
    }
    expect(losses.at(-1)).toBeLessThan(losses[0] * 0.8);
  });
});
