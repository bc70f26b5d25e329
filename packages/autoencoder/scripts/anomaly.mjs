// node scripts/anomaly.mjs <dir written by `neurozoo train <arch> --dataset mnist`>
// Anomaly scores with onnxruntime only: threshold on the held-out 10% of MNIST train (the
// validation split `fit` kept out), ROC AUC of MNIST test (10k, normal) vs Fashion-MNIST test (10k).
import { join } from 'node:path';
import { loadFashionMnist, loadMnist } from '@neurozoo/datasets';
import { OnnxAutoencoder, rocAuc } from '../dist/runtime/index.js';

const dir = process.argv[2];
const ae = await OnnxAutoencoder.load({ autoencoder: join(dir, 'model.onnx') }, { devices: ['cpu'] });
const mnist = loadMnist();
const threshold = await ae.calibrate(mnist.train.x.subarray(54_000 * 784), 0.99);
const normal = await ae.scores(mnist.test.x);
const fashion = await ae.scores(loadFashionMnist().test.x);
const rate = (s) => s.reduce((n, v) => n + (v > threshold ? 1 : 0), 0) / s.length;
console.log(JSON.stringify({
  dir, threshold: +threshold.toFixed(3), auc: +rocAuc(normal, fashion).toFixed(4),
  flaggedMnistTest: rate(normal), flaggedFashionTest: rate(fashion),
}));
await ae.release();
