import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportOnnx, initBackend, tf, type TrainingData } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, DBN, fineTune, inspectRbm, plainClassifier, RbmHidden, rbmArchitecture, rbmClassifier } from '../src/index.js';
import { mnistSubset } from './data.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

describe('DBN', () => {
  it('pretrains greedily, fine-tunes well above chance on held-out digits, and generates', async () => {
    const { x, y, testX, testY } = mnistSubset(2000, 1000);
    const dbn = new DBN({ sizes: [784, 64, 32], seed: 1 });
    const layers: number[] = [];
    const results = await dbn.pretrain(x, { epochs: 2, batchSize: 20, learningRate: 0.05, validation: testX, onLayer: (i) => layers.push(i) });
    expect(layers).toEqual([0, 1]);
    for (const r of results) expect(r.history[1].reconstructionError).toBeLessThan(r.initial.reconstructionError);
    expect(results[1].history[0].freeEnergyGap).toBeDefined();
    expect(dbn.transform(testX.subarray(0, 3 * 784)).length).toBe(3 * 32);
    // Logistic regression on the first RBM's features, joined into one model behind its RbmHidden layer.
    const logistic = await rbmClassifier(dbn.rbms[0], x, y, 10, { epochs: 20, batchSize: 50, learningRate: 1e-2, seed: 1 });
    expect(logistic.fit.epochs).toHaveLength(20);
    expect(logistic.fit.history.loss[19]).toBeLessThan(logistic.fit.history.loss[0]);
    expect(logistic.model.layers[0]).toBeInstanceOf(RbmHidden);
    expect(accuracy(logistic.model, testX, testY)).toBeGreaterThan(0.75); // measured 0.803 (64 features, 2000 digits)
    logistic.model.dispose();
    const model = dbn.classifier(10, 1);
    await fineTune(model, x, y, 10, { epochs: 5, batchSize: 20, seed: 1, verbose: false });
    const acc = accuracy(model, testX, testY);
    expect(acc).toBeGreaterThan(0.8);
    const images = dbn.generate({ n: 5, steps: 10, seed: 1 });
    expect(images.shape).toEqual([5, 784]);
    expect(images.min().dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(images.max().dataSync()[0]).toBeLessThanOrEqual(1);
    const dir = mkdtempSync(join(tmpdir(), 'nz-dbn-'));
    const files = await inspectRbm({ model, test: { name: 'mnist', x: testX, xShape: [1000, 784], y: testY, numClasses: 10 }, outDir: dir });
    expect(files.map((f) => f.split('/').pop())).toEqual(['filters.png', 'samples.png', 'samples-from-data.png']);
    tf.dispose(images);
    model.dispose();
    dbn.dispose();
  });

  it('the plain classifier has the same shape without pretraining', () => {
    const m = plainClassifier([784, 500, 500, 2000], 10);
    expect(m.layers.map((l) => (l.outputShape as number[])[1])).toEqual([500, 500, 2000, 10]);
    m.dispose();
  });
});

describe('rbm architecture (neurozoo train rbm)', () => {
  it('returns a LayersModel (RBM features + logistic regression) that exports, and inspect draws filters and samples', async () => {
    const { x, y, testX, testY } = mnistSubset(2000, 500);
    const split = (xs: Float32Array, ys: Int32Array): TrainingData => ({ name: 'mnist', x: xs, xShape: [ys.length, 784], y: ys, numClasses: 10 });
    const trained = await rbmArchitecture.train({ train: split(x, y), test: split(testX, testY), epochs: 1, batchSize: 10, seed: 0, verbose: false });
    expect(trained.testMetrics.accuracy).toBeGreaterThan(0.75);
    expect(trained.model.outputs[0].shape).toEqual([null, 10]);
    const bytes = await exportOnnx(trained.model, { metadata: trained.metadata });
    expect(bytes.length).toBeGreaterThan(784 * 500 * 4);
    const dir = mkdtempSync(join(tmpdir(), 'nz-rbm-'));
    const files = await rbmArchitecture.inspect!({ model: trained.model, test: split(testX, testY), outDir: dir });
    for (const f of files) {
      expect(existsSync(f)).toBe(true);
      expect(Array.from(readFileSync(f).subarray(0, 4))).toEqual(PNG_SIGNATURE);
    }
    tf.dispose(trained.sampleInputs);
    trained.model.dispose();
  }, 600_000);
});
