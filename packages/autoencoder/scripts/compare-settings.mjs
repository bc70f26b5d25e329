// Short comparison of training settings for the deep 784-1000-500-250-30 autoencoder:
// same samples seen, test SSE per image on 2000 test images. Usage: node scripts/compare-settings.mjs
import { initBackend } from '@neurozoo/core';
import { loadMnist } from '@neurozoo/datasets';
import { Autoencoder, deepAutoencoder } from '../dist/index.js';
const backend = await initBackend();
const { train, test } = loadMnist();
const x = train.x.subarray(0, 6000 * 784);
const xt = test.x.subarray(0, 2000 * 784);
for (const [loss, lr, batch] of [['bce', 1e-3, 128], ['mse', 1e-3, 128], ['bce', 3e-3, 128], ['mse', 3e-3, 128]]) {
  const ae = new Autoencoder(deepAutoencoder({ seed: 1 }), { loss, learningRate: lr });
  const r = await ae.fit(x, { epochs: 2, batchSize: batch, validationSplit: 0, verbose: false, seed: 1 });
  const e = ae.reconstructionErrors(xt);
  const sse = e.reduce((a, b) => a + b, 0) / e.length;
  console.log(JSON.stringify({ backend, loss, lr, batch, samples: 12000, sse: +sse.toFixed(3), trainSeconds: +r.trainSeconds.toFixed(1), samplesPerSecond: Math.round(r.samplesPerSecond) }));
}
