import { initBackend } from '@neurozoo/core';
import { loadFashionMnist, loadMnist } from '@neurozoo/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { Autoencoder, PCA, rocAuc, undercompleteAutoencoder } from '../src/index.js';
import { OnnxAutoencoder } from '../src/runtime/index.js';

beforeAll(() => initBackend({ backend: 'wasm' }));
const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;

describe('training on an MNIST subset (CI-sized)', () => {
  it('784-64-784 with BCE and with MSE beats the mean image and stops early on a flat val_loss', async () => {
    const { train, test } = loadMnist();
    const x = train.x.subarray(0, 4000 * 784);
    const xt = test.x.subarray(0, 500 * 784);
    const meanImageSse = mean(PCA.fit(x, 784, 1).reconstructionErrors(xt)) * 1.3; // a bound above "mean image"
    for (const loss of ['bce', 'mse'] as const) {
      const ae = new Autoencoder(undercompleteAutoencoder({ inputSize: 784, code: 64, seed: 1 }), { loss, learningRate: 3e-3 });
      const r = await ae.fit(x, { epochs: 3, batchSize: 64, verbose: false });
      expect(r.history.val_loss).toHaveLength(3);
      expect(mean(ae.reconstructionErrors(xt))).toBeLessThan(meanImageSse / 2);
    }
    const stuck = new Autoencoder(undercompleteAutoencoder({ inputSize: 784, code: 8 }), { learningRate: 0 });
    const r = await stuck.fit(x.subarray(0, 500 * 784), { epochs: 10, batchSize: 100, patience: 2, verbose: false });
    expect(r.stoppedEarly).toBe(true);
    expect(r.history.val_loss.length).toBeLessThan(10);
  });

  it('anomaly score: trained on MNIST, it separates MNIST test from Fashion-MNIST (ROC AUC >= 0.95) in onnxruntime', async () => {
    const mnist = loadMnist();
    const fashion = loadFashionMnist();
    const ae = new Autoencoder(undercompleteAutoencoder({ inputSize: 784, code: 32, seed: 2 }), { learningRate: 3e-3 });
    await ae.fit(mnist.train.x.subarray(0, 12_000 * 784), { epochs: 3, batchSize: 32, verbose: false });
    const deployed = await OnnxAutoencoder.load({ autoencoder: (await ae.exportOnnx()).autoencoder }, { devices: ['cpu'] });
    // Threshold on normal validation data (training images the model did not see), scores on a test sample.
    const threshold = await deployed.calibrate(mnist.train.x.subarray(50_000 * 784, 51_000 * 784), 0.95);
    const normal = await deployed.scores(mnist.test.x.subarray(0, 1000 * 784));
    const anomalies = await deployed.scores(fashion.test.x.subarray(0, 1000 * 784));
    const auc = rocAuc(normal, anomalies);
    console.log(`anomaly ROC AUC (MNIST normal vs Fashion-MNIST, 1000 + 1000 test images): ${auc.toFixed(4)}, threshold ${threshold.toFixed(2)}`);
    expect(auc).toBeGreaterThanOrEqual(0.95);
    const { anomalies: flags } = await deployed.detect(fashion.test.x.subarray(0, 1000 * 784));
    expect(flags.reduce((s, v) => s + v, 0)).toBeGreaterThan(800);
    const tfjsScores = ae.reconstructionErrors(mnist.test.x.subarray(0, 1000 * 784));
    normal.forEach((s, i) => expect(Math.abs(s - tfjsScores[i])).toBeLessThan(1e-3));
    await deployed.release();
  });
});
