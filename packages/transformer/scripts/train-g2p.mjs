// G2P transformer on the CMUdict split (the rnn family's): train within a time budget (the cosine
// schedule follows the budget), export encoder.onnx + decoder-step.onnx, measure PER/WER on the
// test words in onnxruntime (greedy, then beam 4), check onnxruntime tokens equal tfjs tokens.
// OUT/report.json is rewritten after every epoch and every REPORT_MINUTES of training, so a run cut
// short still reports. The budget is in CPU minutes of this process by default (CLOCK=cpu): on a
// shared machine the wall-clock time depends on the other jobs, the work done in a CPU minute does
// not (tfjs wasm runs on one thread). CLOCK=wall budgets wall-clock time. Usage (after building):
//   node scripts/train-g2p.mjs OUT_DIR [MINUTES=40] [MAX_EPOCHS=30]
// Environment: DIM (64) HEADS (4) ENC (2) DEC (2) FF (4*DIM) DROPOUT (0) BATCH (128) LR (2e-3)
//   SLICE (train words; default all) REPORT_MINUTES (10) BEAM_WORDS (test words for beam 4; all) BACKEND (wasm) RESUME (0)
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@neurozoo/core';
import { errorRates } from '@neurozoo/core/runtime';
import { loadCmudict } from '@neurozoo/datasets';
import { G2PTransformer } from '../dist/index.js';
import { g2pVocab, OnnxG2P } from '../dist/runtime/index.js';

const [out = 'out/transformer-cmudict', minutes = '40', maxEpochs = '30'] = process.argv.slice(2);
const env = (k, d) => (process.env[k] === undefined ? d : Number(process.env[k]));
const dim = env('DIM', 64);
const config = { dim, heads: env('HEADS', 4), encoderLayers: env('ENC', 2), decoderLayers: env('DEC', 2), ffDim: env('FF', 4 * dim), dropout: env('DROPOUT', 0), activation: 'relu' };
const clockName = process.env.CLOCK ?? 'cpu';
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const train = { epochs: Number(maxEpochs), batchSize: env('BATCH', 128), learningRate: env('LR', 2e-3), maxSeconds: Number(minutes) * 60, schedule: 'time', labelSmoothing: 0.1, clipNorm: 1 };
mkdirSync(out, { recursive: true });
const log = (...a) => console.log(new Date().toISOString(), ...a);
const backend = process.env.BACKEND ?? 'wasm';
await initBackend({ backend });
const split = loadCmudict();
const trainPairs = process.env.SLICE ? split.train.slice(0, Number(process.env.SLICE)) : split.train;
const { test } = split;
const vocab = g2pVocab(split.graphemes, split.phonemes, 20, 24);
const g2p = G2PTransformer.create(vocab, config, 0);
const refs = test.map((p) => p.phonemes);
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
const report = {
  command: `node scripts/train-g2p.mjs ${out} ${minutes} ${maxEpochs}`, clock: clockName, config, train, backend, params: g2p.model.countParams(),
  words: { train: trainPairs.length, test: test.length }, machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavgAtStart: loadavg() },
  progress: [], final: null,
};
const save = () => writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
const machineNow = () => {
  const c = process.cpuUsage(cpu0);
  const wall = (performance.now() - wall0) / 1000;
  return { loadavg: loadavg().map((v) => Number(v.toFixed(2))), cpuSecondsOfThisProcess: Number(((c.user + c.system) / 1e6).toFixed(1)), wallSeconds: Number(wall.toFixed(1)) };
};

/** Exports, writes the graphs, and scores the test words in onnxruntime. */
async function evaluate(beam = 1, words = test.length) {
  const { encoder, decoderStep } = g2p.export();
  writeFileSync(join(out, 'encoder.onnx'), encoder);
  writeFileSync(join(out, 'decoder-step.onnx'), decoderStep);
  writeFileSync(join(out, 'vocab.json'), `${JSON.stringify(vocab)}\n`);
  const ort = await OnnxG2P.load(encoder, decoderStep, vocab, { devices: ['cpu'] });
  const t0 = performance.now();
  const hyp = await ort.predict(test.slice(0, words).map((p) => p.word), { beam });
  const seconds = (performance.now() - t0) / 1000;
  await ort.release();
  const h = hyp.map((p) => p.phonemes);
  const r = refs.slice(0, words);
  return { beam, words, ...errorRates(h, r), decodeSeconds: Number(seconds.toFixed(1)), hyp };
}

const pct = (v) => `${(100 * v).toFixed(2)}%`;
let lastReport = 0;
let steps = 0;
let evalWall = 0;
async function progress(what, epoch, loss, seconds) {
  const t0 = performance.now();
  const greedy = await evaluate(1);
  report.progress.push({ what, epoch, steps, trainSeconds: Number(seconds.toFixed(1)), loss, testGreedy: { per: greedy.per, wer: greedy.wer }, machine: machineNow() });
  save();
  await g2p.save(join(out, 'model'));
  evalWall += (performance.now() - t0) / 1000;
  log(`${what} (epoch ${epoch}, step ${steps}, ${seconds.toFixed(0)} s): loss ${loss.toFixed(4)}, test greedy PER ${pct(greedy.per)} WER ${pct(greedy.wer)}, load ${loadavg()[0].toFixed(1)}`);
}

log(`train ${trainPairs.length} / test ${test.length} words; ${report.params} parameters ${JSON.stringify(config)}; budget ${minutes} ${clockName} min, at most ${maxEpochs} epochs, batch ${train.batchSize}, ${backend}`);
save();
const fitWall0 = performance.now();
let lossSum = 0;
let lossCount = 0;
const fit = await g2p.fit(trainPairs, {
  ...train,
  checkpointDir: join(out, 'checkpoints'),
  resume: process.env.RESUME === '1',
  ...(clockName === 'cpu' ? { clock: cpuSeconds } : {}),
  onStep: async (step, loss, seconds) => {
    steps = step;
    lossSum += loss;
    lossCount++;
    if (step % 100 === 0) log(`step ${step}: loss ${(lossSum / lossCount).toFixed(4)}, ${seconds.toFixed(0)} s`);
    if (seconds - lastReport >= env('REPORT_MINUTES', 10) * 60) {
      lastReport = seconds;
      await progress('checkpoint', null, lossSum / lossCount, seconds);
      lossSum = 0;
      lossCount = 0;
    }
  },
  onEpoch: async (epoch, loss, seconds) => {
    lastReport = seconds;
    await progress('epoch', epoch + 1, loss, seconds);
  },
});
const trainWallSeconds = (performance.now() - fitWall0) / 1000 - evalWall;
log(`trained ${fit.trainSeconds.toFixed(0)} ${clockName} s (${trainWallSeconds.toFixed(0)} wall s), ${fit.samplesPerSecond.toFixed(1)} samples per ${clockName} s, ${fit.steps} steps, epochs ${fit.epochs.length}, stopped by the budget: ${fit.stoppedEarly}`);
await g2p.save(join(out, 'model'));
const greedy = await evaluate(1);
log(`test greedy (onnxruntime): PER ${pct(greedy.per)} WER ${pct(greedy.wer)} in ${greedy.decodeSeconds} s`);
report.final = { trainSeconds: fit.trainSeconds, clock: clockName, trainWallSeconds, samplesPerSecond: fit.samplesPerSecond, steps: fit.steps, epochs: fit.epochs.length, losses: fit.losses, stoppedByBudget: fit.stoppedEarly, testGreedy: { per: greedy.per, wer: greedy.wer, decodeSeconds: greedy.decodeSeconds }, machine: machineNow() };
save();
const beam = await evaluate(4, env('BEAM_WORDS', test.length));
log(`test beam 4 (onnxruntime, ${beam.words} words): PER ${pct(beam.per)} WER ${pct(beam.wer)} in ${beam.decodeSeconds} s`);
report.final.testBeam4 = { words: beam.words, per: beam.per, wer: beam.wer, decodeSeconds: beam.decodeSeconds };
save();
const check = test.slice(0, 300).map((p) => p.word);
const tfGreedy = await g2p.predict(check);
const sameGreedy = tfGreedy.filter((p, i) => p.phonemes.join(' ') === greedy.hyp[i].phonemes.join(' ')).length;
const tfBeam = await g2p.predict(check.slice(0, 100), { beam: 4 });
const sameBeam = tfBeam.filter((p, i) => p.phonemes.join(' ') === beam.hyp[i].phonemes.join(' ')).length;
const examples = {};
for (const w of ['pronunciation', 'transformer', 'neurozoo', 'onnxruntime']) examples[w] = (await g2p.predict([w], { beam: 4 }))[0].phonemes.join(' ');
report.final.onnxruntimeEqualsTfjs = { greedy: `${sameGreedy}/${check.length}`, beam4: `${sameBeam}/100` };
report.final.examplesBeam4 = examples;
report.final.machine = machineNow();
save();
log(`onnxruntime tokens equal tfjs: greedy ${sameGreedy}/${check.length}, beam 4 ${sameBeam}/100; ${JSON.stringify(examples)}`);
