// Full G2P run on the CMUdict split: train (time budget), PER/WER on the test words (tfjs greedy
// and beam), export encoder.onnx + decoder-step.onnx, check onnxruntime decoding equals tfjs,
// write an attention heatmap and report.json. Usage: node scripts/train-g2p.mjs OUT_DIR [MINUTES] [EPOCHS]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@neurozoo/core';
import { errorRates } from '@neurozoo/core/runtime';
import { loadCmudict } from '@neurozoo/datasets';
import { attentionHeatmap, exportSeq2Seq, fitSeq2Seq, g2pExamples, g2pVocab, predictWords, saveSeq2Seq, Seq2Seq } from '../dist/index.js';
import { OnnxSeq2Seq } from '../dist/runtime/index.js';

const [out = 'out/seq2seq-cmudict', minutes = '45', epochs = '4'] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
await initBackend({ backend: process.env.BACKEND ?? 'wasm' });
const { train, dev, test, graphemes, phonemes } = loadCmudict();
const vocab = g2pVocab(graphemes, phonemes, 20, 24);
const model = Seq2Seq.create(vocab, { encoderUnits: Number(process.env.UNITS ?? 64), seed: 0 });
const log = (...a) => console.log(new Date().toISOString(), ...a);
const score = async (pairs, beam = 1) => {
  const hyp = (await predictWords(model, pairs.map((p) => p.word), { beam })).map((p) => p.symbols);
  const ref = pairs.map((p) => p.phonemes);
  return { ...errorRates(hyp, ref), hyp };
};
log(`train ${train.length} dev ${dev.length} test ${test.length} words; budget ${minutes} min, ${epochs} epochs`);
const fit = await fitSeq2Seq(model, g2pExamples(vocab, train), {
  epochs: Number(epochs), batchSize: 64, learningRate: 3e-3, maxSeconds: Number(minutes) * 60,
  onEpoch: async (e, loss, s) => {
    const d = await score(dev.slice(0, 1000));
    log(`epoch ${e + 1}: loss ${loss.toFixed(4)}, dev[0:1000] PER ${(100 * d.per).toFixed(2)}% WER ${(100 * d.wer).toFixed(2)}% at ${s.toFixed(0)} s`);
    await saveSeq2Seq(model, join(out, 'model'));
  },
});
log(`trained ${fit.trainSeconds.toFixed(0)} s, ${fit.samplesPerSecond.toFixed(1)} samples/s, stopped early: ${fit.stoppedEarly}`);
await saveSeq2Seq(model, join(out, 'model'));
const greedy = await score(test);
log(`test greedy PER ${(100 * greedy.per).toFixed(2)}% WER ${(100 * greedy.wer).toFixed(2)}%`);
const beamSet = test.slice(0, 1000);
const beam = await score(beamSet, 4);
log(`test[0:1000] beam 4 PER ${(100 * beam.per).toFixed(2)}% WER ${(100 * beam.wer).toFixed(2)}%`);
const { encoder, decoderStep } = await exportSeq2Seq(model);
writeFileSync(join(out, 'encoder.onnx'), encoder);
writeFileSync(join(out, 'decoder-step.onnx'), decoderStep);
writeFileSync(join(out, 'vocab.json'), JSON.stringify(vocab));
const rt = await OnnxSeq2Seq.load(encoder, decoderStep, vocab, { devices: ['cpu'] });
const check = test.slice(0, 500).map((p) => p.word);
const ortGreedy = (await rt.predict(check)).map((p) => p.symbols.join(' '));
const same = ortGreedy.filter((s, i) => s === greedy.hyp[i].join(' ')).length;
const ortBeam = (await rt.predict(check.slice(0, 100), { beam: 4 })).map((p) => p.symbols.join(' '));
const sameBeam = ortBeam.filter((s, i) => s === beam.hyp[i].join(' ')).length;
log(`onnxruntime equals tfjs: greedy ${same}/${check.length}, beam ${sameBeam}/100`);
const [p] = await rt.predict(['pronunciation']);
writeFileSync(join(out, 'attention-pronunciation.png'), attentionHeatmap(p.attention));
const report = {
  words: { train: train.length, dev: dev.length, test: test.length }, losses: fit.losses, trainSeconds: fit.trainSeconds,
  samplesPerSecond: fit.samplesPerSecond, stoppedEarly: fit.stoppedEarly,
  test: { greedy: { per: greedy.per, wer: greedy.wer }, beam4First1000: { per: beam.per, wer: beam.wer } },
  runtimeEqualsTfjs: { greedy: `${same}/${check.length}`, beam4: `${sameBeam}/100` }, example: { pronunciation: p.symbols.join(' ') },
};
writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
log(JSON.stringify(report));
