import { initBackend, OptionError, ShapeError, tf } from '@neurozoo/core';
import { loadIris } from '@neurozoo/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { MLPClassifier, Perceptron } from '../src/index.js';

beforeAll(() => initBackend());

/** Argmax of the perceptron's exported tfjs model. */
const classesOfModel = (p: Perceptron, x: Float32Array) =>
  tf.tidy(() => (p.toModel().predict(tf.tensor2d(x, [x.length / p.inputSize, p.inputSize])) as tf.Tensor).argMax(-1).dataSync());

const XOR_X = Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]);
const XOR_Y = [0, 1, 1, 0];

describe('Rosenblatt perceptron', () => {
  it('converges on linearly separable real data (Iris setosa vs versicolor) and classifies it perfectly', async () => {
    const iris = await loadIris();
    const keep = [...iris.y.keys()].filter((i) => iris.y[i] < 2);
    const x = Float32Array.from(keep.flatMap((i) => Array.from(iris.x.subarray(i * 4, i * 4 + 4))));
    const y = keep.map((i) => iris.y[i]);
    const p = new Perceptron({ inputSize: 4 });
    const result = p.fit(x, y, { epochs: 100, seed: 1 });
    expect(result.converged).toBe(true);
    expect(result.mistakesPerEpoch.at(-1)).toBe(0);
    expect(result.mistakesPerEpoch[0]).toBeGreaterThan(0);
    expect(p.accuracy(x, y)).toBe(1);
  });

  it('cannot fit XOR: it never has an error-free pass', () => {
    const p = new Perceptron({ inputSize: 2 });
    const result = p.fit(XOR_X, XOR_Y, { epochs: 1000 });
    expect(result.converged).toBe(false);
    expect(Math.min(...result.mistakesPerEpoch)).toBeGreaterThanOrEqual(1);
    expect(p.accuracy(XOR_X, XOR_Y)).toBeLessThanOrEqual(0.75);
  });

  it('a two-layer MLP fits XOR', async () => {
    const clf = new MLPClassifier({ inputSize: 2, hidden: [8], classes: 2, activation: 'tanh', learningRate: 0.05, seed: 2 });
    await clf.fit({ x: XOR_X, shape: [4, 2] }, XOR_Y, { epochs: 300, batchSize: 4, seed: 2 });
    expect(Array.from(clf.predict({ x: XOR_X, shape: [4, 2] }))).toEqual(XOR_Y);
  });

  it('learns several classes with the multi-class rule, and its tfjs model decides the same', async () => {
    const iris = await loadIris();
    const p = new Perceptron({ inputSize: 4, classes: 3 });
    p.fit(iris.x, iris.y, { epochs: 200, seed: 3 });
    expect(p.accuracy(iris.x, iris.y)).toBeGreaterThan(0.9);
    expect(Array.from(classesOfModel(p, iris.x))).toEqual(Array.from(p.predict(iris.x)));
  });

  it('binary perceptron exported as two scores decides exactly like the threshold unit', () => {
    const p = new Perceptron({ inputSize: 2 });
    const x = Float32Array.from([0, 0, 0, 1, 1, 0, 1, 1]);
    expect(p.fit(x, [0, 0, 0, 1]).converged).toBe(true); // AND is separable
    expect(Array.from(p.predict(x))).toEqual([0, 0, 0, 1]);
    expect(Array.from(classesOfModel(p, x))).toEqual([0, 0, 0, 1]);
  });

  it('rejects bad configuration and data with exact errors', () => {
    expect(() => new Perceptron({ inputSize: 0 })).toThrow(new OptionError('inputSize must be a positive integer, got 0'));
    expect(() => new Perceptron({ inputSize: 2, classes: 2, lr: 1 } as never)).toThrow(
      new OptionError('Unknown perceptron option(s): lr. Valid options: inputSize, classes'),
    );
    const p = new Perceptron({ inputSize: 3 });
    expect(() => p.fit(Float32Array.from([1, 2, 3, 4]), [0])).toThrow(
      new ShapeError('x must hold rows of 3 features; its length 4 is not a multiple of 3'),
    );
    expect(() => p.fit(Float32Array.from([1, Number.NaN, 3]), [0])).toThrow('x contains NaN at sample 0; expected finite numbers');
  });
});
