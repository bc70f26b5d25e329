import { DataError, initBackend, OptionError, ShapeError, tf } from '@neurozoo/core';
import { expectOnnxParity } from '@neurozoo/core/testing';
import { loadDataset, loadMnist } from '@neurozoo/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { MLPClassifier, MLPRegressor, mlp, Perceptron } from '../src/index.js';
import { OnnxClassifier } from '../src/runtime/index.js';

beforeAll(() => initBackend());

describe('MLPClassifier', () => {
  it('classifies the 10k held-out MNIST test digits above 92% after 5 epochs on 10k training digits', async () => {
    const { train, test } = loadMnist();
    const clf = new MLPClassifier({ inputSize: 784, hidden: [128], classes: 10, seed: 1 });
    await clf.fit({ x: train.x.subarray(0, 10000 * 784), shape: [10000, 784] }, train.y.subarray(0, 10000), { epochs: 5, batchSize: 64 });
    const { accuracy } = clf.evaluate({ x: test.x, shape: [10000, 784] }, test.y);
    expect(accuracy).toBeGreaterThan(0.92);
  });

  it('classifies held-out Iris flowers (seeded 80/20 split) above 90%', async () => {
    const { train, test } = loadDataset('iris');
    const clf = new MLPClassifier({ inputSize: 4, hidden: [16], classes: 3, learningRate: 0.02, seed: 4 });
    const result = await clf.fit({ x: train.x, shape: [train.y.length, 4] }, train.y, {
      epochs: 150, batchSize: 16, validationData: [{ x: test.x, shape: [test.y.length, 4] }, test.y],
    });
    expect(result.history.val_acc.at(-1)).toBeGreaterThan(0.9);
    expect(clf.evaluate({ x: test.x, shape: [test.y.length, 4] }, test.y).accuracy).toBeGreaterThan(0.9);
  });

  it('exports an ONNX model that onnxruntime runs with the same outputs and classes (Node and web runtimes)', async () => {
    const { test } = loadMnist();
    const clf = new MLPClassifier({ inputSize: 784, hidden: [64, 32, 16, 16], classes: 10, activation: 'sigmoid', dropout: 0.1, seed: 2 });
    const x = test.x.subarray(0, 50 * 784);
    for (const batch of [1, 50]) {
      const inputs = tf.tensor2d(x.subarray(0, batch * 784), [batch, 784]);
      const parity = await expectOnnxParity(clf.model, inputs, { tol: 1e-5 });
      expect(parity.maxAbsError).toBeLessThanOrEqual(1e-5);
      inputs.dispose();
    }
    const bytes = await clf.exportOnnx();
    const tfjsClasses = Array.from(clf.predict({ x, shape: [50, 784] }));
    const node = await OnnxClassifier.load(bytes);
    const nodeResult = await node.classify(x, 50);
    expect(nodeResult.provider).toBe('cpu');
    expect(Array.from(nodeResult.classes)).toEqual(tfjsClasses);
    const probs = clf.predictProba({ x, shape: [50, 784] });
    nodeResult.probabilities.forEach((p, i) => expect(Math.abs(p - probs[i])).toBeLessThan(1e-5));
    await node.release();
  });

  it('gives the same weights for the same seed', async () => {
    const { train } = loadMnist();
    const x = { x: train.x.subarray(0, 512 * 784), shape: [512, 784] };
    const run = async () => {
      const clf = new MLPClassifier({ inputSize: 784, hidden: [32], classes: 10, dropout: 0.3, seed: 5 });
      await clf.fit(x, train.y.subarray(0, 512), { epochs: 2, batchSize: 64, seed: 9 });
      return clf.model.getWeights().map((w) => Array.from(w.dataSync()));
    };
    expect(await run()).toEqual(await run());
  });

  it('rejects wrong shapes, bad labels, NaN and unknown options with exact errors', async () => {
    const clf = new MLPClassifier({ inputSize: 4, hidden: [8], classes: 3 });
    const inputName = clf.model.inputs[0].name;
    expect(() => clf.predict([[1, 2, 3]])).toThrow(new ShapeError(`Input '${inputName}' expects shape [batch, 4] but x has shape [1, 3]`));
    await expect(clf.fit([[1, 2, 3, 4]], [3])).rejects.toThrow(new ShapeError('Labels must be integer class ids in [0, 2]; label 0 is 3'));
    await expect(clf.fit([[1, Number.POSITIVE_INFINITY, 3, 4]], [1])).rejects.toThrow(
      new DataError('Training data x contains Infinity at sample 0 (flat index 1); expected finite numbers: clean or impute the data first'),
    );
    expect(() => new MLPClassifier({ inputSize: 4, hidden: [8], classes: 3, dropuot: 0.5 } as never)).toThrow(
      new OptionError('Unknown mlp option(s): dropuot. Valid options: inputSize, hidden, outputs, activation, outputActivation, dropout, seed'),
    );
    expect(() => mlp({ inputSize: 4, hidden: [8, -1], outputs: 2 })).toThrow(new OptionError('mlp hidden[1] must be a positive integer, got -1'));
  });

  it('its runtime rejects a wrong input size before onnxruntime runs', async () => {
    const clf = new MLPClassifier({ inputSize: 4, hidden: [8], classes: 3 });
    const deployed = await OnnxClassifier.load(await clf.exportOnnx());
    const name = deployed.session.inputs[0].name;
    await expect(deployed.classify(new Float32Array(5), 1)).rejects.toThrow(
      new ShapeError(`Input '${name}' expects shape [batch, 4] (float32) but got [1, 5] (float32)`),
    );
    await deployed.release();
  });
});

describe('MLPRegressor', () => {
  it('fits a smooth function and exports with parity', async () => {
    const xs = Array.from({ length: 256 }, (_, i) => [(i / 255) * 4 - 2]);
    const ys = xs.map(([v]) => Math.sin(v));
    const reg = new MLPRegressor({ inputSize: 1, hidden: [32, 32], activation: 'tanh', learningRate: 0.01, seed: 3 });
    await reg.fit(xs, ys, { epochs: 150, batchSize: 32 });
    expect(reg.evaluate(xs, ys).mse).toBeLessThan(0.01);
    const parity = await expectOnnxParity(reg.model, tf.tensor2d(xs));
    expect(parity.maxAbsError).toBeLessThanOrEqual(1e-4);
  });
});

describe('Perceptron export', () => {
  it('exports its decision to ONNX: onnxruntime classes equal the perceptron rule', async () => {
    const { train, test } = loadDataset('iris');
    const p = new Perceptron({ inputSize: 4, classes: 3 });
    p.fit(train.x, train.y, { epochs: 100 });
    const deployed = await OnnxClassifier.load(await (await import('@neurozoo/core')).exportOnnx(p.toModel()));
    const { classes } = await deployed.classify(test.x, test.y.length);
    expect(Array.from(classes)).toEqual(Array.from(p.predict(test.x)));
    await deployed.release();
  });
});
