// Acceptance runs (see README): node scripts/acceptance.mjs <rbm|dbn|nopretrain|compare> [key=value ...]
// Writes progress after every epoch to out/rbm-dbn-acceptance/<run>[-key=value...].json (so a cut-off run still reports).
import { mkdirSync, writeFileSync } from 'node:fs';
import { initBackend, tf } from '@neurozoo/core';
import { loadMnist } from '@neurozoo/datasets';
import { accuracy, DBN, fineTune, plainClassifier, RBM, rbmClassifier } from '@neurozoo/rbm-dbn';

const [run = 'rbm', ...rest] = process.argv.slice(2);
const opt = Object.fromEntries(rest.map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
const backend = await initBackend({ backend: 'wasm' });
const { train, test } = loadMnist();
const out = 'out/rbm-dbn-acceptance';
mkdirSync(out, { recursive: true });
const t0 = performance.now();
const report = { run, backend, options: opt, started: new Date().toISOString(), events: [] };
const save = (event) => {
  report.events.push({ ...event, elapsedSeconds: Math.round((performance.now() - t0) / 100) / 10 });
  writeFileSync(`${out}/${[run, ...rest].join('-')}.json`, `${JSON.stringify(report, null, 1)}\n`);
  console.log(JSON.stringify(report.events.at(-1)));
};
const testAcc = (model) => accuracy(model, test.x, test.y);
const fineTuneLogged = (model, epochs, stage) =>
  fineTune(model, train.x, train.y, 10, {
    epochs, batchSize: 100, optimizer: opt.adam ? 'adam' : 'sgd', ...(opt.lr ? { learningRate: opt.lr } : {}), seed: 0, verbose: false,
    callbacks: [{ onEpochEnd: (epoch, logs) => save({ stage, epoch: epoch + 1, loss: logs.loss, trainAcc: logs.acc ?? logs.accuracy, testError: 1 - testAcc(model) }) }],
  });

if (run === 'rbm') {
  const rbm = new RBM({ visible: 784, hidden: 500 });
  await rbm.fit(train.x, { epochs: opt.epochs ?? 15, learningRate: opt.rbmLr ?? 0.05, ...(opt.pcd ? { method: 'pcd' } : {}), validation: test.x, onEpoch: (l) => save({ stage: 'rbm', ...l }) });
  const { model } = await rbmClassifier(rbm, train.x, train.y, 10, { epochs: opt.lrEpochs ?? 30 });
  save({ stage: 'logistic regression', trainAccuracy: accuracy(model, train.x, train.y) });
  save({ stage: 'done', testAccuracy: testAcc(model) });
} else if (run === 'dbn') {
  const dbn = new DBN({ sizes: [784, 500, 500, 2000] });
  await dbn.pretrain(train.x, { epochs: opt.pretrain ?? 4, learningRate: opt.rbmLr ?? 0.05, validation: test.x.subarray(0, 1000 * 784),
    onEpoch: (l) => save({ stage: 'pretrain', ...l }), onLayer: (i) => save({ stage: `pretrained layer ${i + 1}` }) });
  const model = dbn.classifier(10, 0);
  save({ stage: 'classifier from RBMs (before fine-tuning)', testError: 1 - testAcc(model) });
  await fineTuneLogged(model, opt.epochs ?? 20, 'fine-tune');
  save({ stage: 'done', testError: 1 - testAcc(model) });
} else if (run === 'nopretrain') {
  const model = plainClassifier([784, 500, 500, 2000], 10, 0);
  await fineTuneLogged(model, opt.epochs ?? 20, 'no-pretraining');
  save({ stage: 'done', testError: 1 - testAcc(model) });
} else if (run === 'compare') {
  const n = opt.n ?? 10000;
  const x = train.x.subarray(0, n * 784);
  const y = train.y.subarray(0, n);
  for (const [name, fitOpts] of [['CD-1', { method: 'cd', k: 1 }], ['CD-10', { method: 'cd', k: 10 }], ['PCD-1', { method: 'pcd', k: 1 }]]) {
    const rbm = new RBM({ visible: 784, hidden: opt.hidden ?? 256 });
    const s = performance.now();
    const r = await rbm.fit(x, { epochs: opt.epochs ?? 5, learningRate: 0.05, validation: test.x.subarray(0, 1000 * 784), ...fitOpts });
    const seconds = (performance.now() - s) / 1000;
    const { model } = await rbmClassifier(rbm, x, y, 10, { epochs: 20 });
    const last = r.history.at(-1);
    save({ stage: name, seconds, reconstructionError: last.reconstructionError, pseudoLogLikelihood: last.pseudoLogLikelihood, freeEnergyGap: last.freeEnergyGap, testAccuracy: testAcc(model) });
    model.dispose();
    rbm.dispose();
  }
}
tf.disposeVariables();
