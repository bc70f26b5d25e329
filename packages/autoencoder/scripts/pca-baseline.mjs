// node scripts/pca-baseline.mjs [k=30]: PCA on the 60k MNIST training images, SSE per test image (pixels in [0, 1]).
import { initBackend } from '@neurozoo/core';
import { loadMnist } from '@neurozoo/datasets';
import { PCA } from '../dist/index.js';
const backend = await initBackend();
const { train, test } = loadMnist();
const k = Number(process.argv[2] ?? 30);
const t = performance.now();
const pca = PCA.fit(train.x, 784, k);
const seconds = (performance.now() - t) / 1000;
const e = pca.reconstructionErrors(test.x);
console.log(JSON.stringify({ backend, k, seconds: +seconds.toFixed(1), iterations: pca.iterations, testSse: +(e.reduce((a, b) => a + b, 0) / e.length).toFixed(3) }));
