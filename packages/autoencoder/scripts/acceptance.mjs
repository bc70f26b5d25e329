// Acceptance run: MNIST 784-1000-500-250-30 deep autoencoder vs 30-component PCA, both scored by
// the same code (sum of squared errors per test image, pixels in [0, 1]).
// Usage: node scripts/acceptance.mjs [loss=bce] [lr=1e-3] [batch=128] [out=/tmp/ae-acceptance]
// Trains until the 10k-test SSE is under `stopAt` (default 6.5, below half of PCA's 13.87) or 30 epochs.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, saveModel } from '@neurozoo/core';
import { loadMnist } from '@neurozoo/datasets';
import { Autoencoder, PCA, deepAutoencoder } from '../dist/index.js';

const [loss = 'bce', lr = '1e-3', batch = '128', out = '/tmp/ae-acceptance', stopAt = '6.5'] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const logFile = join(out, 'log.jsonl');
const log = (o) => { const line = JSON.stringify(o); appendFileSync(logFile, `${line}\n`); console.log(line); };
const backend = await initBackend();
const { train, test } = loadMnist();
const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const ae = new Autoencoder(deepAutoencoder({ seed: 0 }), { loss, learningRate: Number(lr) });
const probe = test.x.subarray(0, 2000 * 784);
let evalMs = 0;
let samples = 0;
const started = performance.now();
const trainSeconds = () => (performance.now() - started - evalMs) / 1000;
const timed = (fn) => { const t = performance.now(); const r = fn(); evalMs += performance.now() - t; return r; };
log({ event: 'start', backend, loss, lr: Number(lr), batch: Number(batch), train: 55000, validation: 5000 });
const check = {
  async onBatchEnd(b, _logs, ctx) {
    samples += Number(batch);
    if ((b + 1) % 100 !== 0) return;
    const probeSse = timed(() => mean(ae.reconstructionErrors(probe)));
    const row = { samples, trainSeconds: +trainSeconds().toFixed(1), probeSse: +probeSse.toFixed(3) };
    if (probeSse < Number(stopAt)) {
      row.testSse = +timed(() => mean(ae.reconstructionErrors(test.x))).toFixed(3);
      if (row.testSse < Number(stopAt)) ctx.stop();
    }
    log(row);
  },
  async onEpochEnd(epoch, logs) {
    log({ epoch, samples, trainSeconds: +trainSeconds().toFixed(1), ...logs, testSse: +timed(() => mean(ae.reconstructionErrors(test.x))).toFixed(3) });
  },
};
const fit = await ae.fit(train.x.subarray(0, 55000 * 784), {
  validation: train.x.subarray(55000 * 784), epochs: 30, batchSize: Number(batch), patience: 3, seed: 0, verbose: false, callbacks: [check],
});
const aeSse = mean(ae.reconstructionErrors(test.x));
await saveModel(ae.model, join(out, 'tfjs'));
const t = performance.now();
const pca = PCA.fit(train.x, 784, 30);
const pcaSeconds = (performance.now() - t) / 1000;
const pcaSse = mean(pca.reconstructionErrors(test.x));
const result = {
  event: 'done', backend, loss, lr: Number(lr), batch: Number(batch), epochsRun: fit.history.loss.length, samples,
  trainSeconds: +trainSeconds().toFixed(1), aeSse: +aeSse.toFixed(3), pcaSse: +pcaSse.toFixed(3), ratio: +(pcaSse / aeSse).toFixed(2),
  pcaSeconds: +pcaSeconds.toFixed(1), pcaIterations: pca.iterations,
};
log(result);
writeFileSync(join(out, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
