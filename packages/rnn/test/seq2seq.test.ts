import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@neurozoo/core';
import { createSession } from '@neurozoo/core/runtime';
import { checkOnnx, expectOnnxParity, randomizeWeights } from '@neurozoo/core/testing';
import { loadCmudict } from '@neurozoo/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportSeq2Seq, fitSeq2Seq, g2pExamples, g2pVocab, loadSeq2Seq, predictWords, Seq2Seq, saveSeq2Seq } from '../src/index.js';
import { OnnxSeq2Seq } from '../src/runtime/index.js';

let model: Seq2Seq;
let words: string[];
let runtime: OnnxSeq2Seq;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  const { train, test, graphemes, phonemes } = loadCmudict();
  const vocab = g2pVocab(graphemes, phonemes, 12, 14);
  model = Seq2Seq.create(vocab, { encoderUnits: 16, sourceEmbedding: 8, targetEmbedding: 8, seed: 3 });
  // with one-letter words: tfjs cannot differentiate a one-step LSTM, so training skips them
  const short = [...train.filter((p) => p.word.length === 1).slice(0, 3), ...train.filter((p) => p.word.length <= 6 && p.word.length > 1).slice(0, 253)];
  const fit = await fitSeq2Seq(model, g2pExamples(vocab, short), { epochs: 2, batchSize: 32, learningRate: 1e-2 });
  expect(fit.skipped).toBe(3);
  expect(fit.losses[1]).toBeLessThan(fit.losses[0]);
  words = test.filter((p) => p.word.length <= 12).slice(0, 12).map((p) => p.word);
  const { encoder, decoderStep } = await exportSeq2Seq(model);
  runtime = await OnnxSeq2Seq.load(encoder, decoderStep, vocab, { devices: ['cpu'] });
}, 600_000);

describe('attention seq2seq: ONNX export and onnxruntime decoding', () => {
  it('encoder.onnx and decoder-step.onnx pass the checker; the step matches tfjs', async () => {
    const { encoder, decoderStep } = await exportSeq2Seq(model);
    checkOnnx(encoder);
    checkOnnx(decoderStep);
    const session = await createSession(decoderStep, { devices: ['cpu'] });
    const H = model.hiddenSize;
    for (const [B, S] of [[1, 4], [3, 7]]) {
      const tokens = Int32Array.from({ length: B }, (_, i) => 3 + i);
      const [h, c, enc] = [[B, H], [B, H], [B, S, H]].map((s, k) => tf.randomNormal(s, 0, 1, 'float32', k + S));
      const ref = model.step(tf.tensor1d(tokens, 'int32'), h as tf.Tensor2D, c as tf.Tensor2D, enc as tf.Tensor3D);
      const out = await session.run({
        token: { data: tokens, dims: [B] },
        h: { data: h.dataSync() as Float32Array, dims: [B, H] },
        c: { data: c.dataSync() as Float32Array, dims: [B, H] },
        encoder_states: { data: enc.dataSync() as Float32Array, dims: [B, S, H] },
      });
      const pairs = [[out.logits, ref.logits], [out.h_out, ref.h], [out.c_out, ref.c], [out.attention, ref.attention]] as const;
      for (const [o, r] of pairs) {
        expect(o.dims).toEqual(r.shape);
        const a = o.data as Float32Array;
        const b = r.dataSync();
        expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThan(1e-5);
      }
    }
  });

  it('the encoder (BiLSTM with returnState) has parity at several lengths with random weights', async () => {
    const enc = Seq2Seq.create(model.vocab, { encoderUnits: 8, seed: 9 }).encoder;
    randomizeWeights(enc, 4);
    for (const [B, S] of [[1, 1], [2, 5], [4, 12]]) {
      const ids = tf.tensor2d(Array.from({ length: B * S }, (_, i) => 1 + ((i * 7) % 27)), [B, S]);
      expect((await expectOnnxParity(enc, ids, { check: false })).maxAbsError).toBeLessThan(1e-5);
    }
  });

  it('onnxruntime greedy and beam decoding give the same phonemes as tfjs', async () => {
    const tfGreedy = await predictWords(model, words);
    const ortGreedy = await runtime.predict(words);
    expect(ortGreedy.map((p) => p.symbols)).toEqual(tfGreedy.map((p) => p.symbols));
    const tfBeam = await predictWords(model, words.slice(0, 6), { beam: 3 });
    const ortBeam = await runtime.predict(words.slice(0, 6), { beam: 3 });
    expect(ortBeam.map((p) => p.symbols)).toEqual(tfBeam.map((p) => p.symbols));
    ortBeam.forEach((p, i) => expect(p.logProb).toBeCloseTo(tfBeam[i].logProb, 3));
    expect(ortGreedy[0].attention[0]).toHaveLength(words[0].length);
    const sum = ortGreedy[0].attention[0].reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 5);
  });

  it('saveSeq2Seq writes a folder loadSeq2Seq reads back to the same vocabulary and predictions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nz-s2s-save-'));
    try {
      await saveSeq2Seq(model, dir);
      const reloaded = await loadSeq2Seq(dir);
      expect(reloaded.vocab).toEqual(model.vocab);
      const [before, after] = [await predictWords(model, words.slice(0, 4), { beam: 2 }), await predictWords(reloaded, words.slice(0, 4), { beam: 2 })];
      expect(after.map((p) => p.symbols)).toEqual(before.map((p) => p.symbols));
      after.forEach((p, i) => expect(p.logProb).toBeCloseTo(before[i].logProb, 5));
      reloaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects empty, too long and unknown input with clear errors', async () => {
    await expect(runtime.predict([''])).rejects.toThrow('Empty input: give at least one symbol.');
    await expect(runtime.predict(['abcdefghijklmn'])).rejects.toThrow("'abcdefghijklmn' has 14 symbols; this model accepts at most 12.");
    await expect(runtime.predict(['naïve'])).rejects.toThrow(/outside the vocabulary: "ï"/);
    await expect(predictWords(model, ['x1'])).rejects.toThrow(/outside the vocabulary: "1"/);
  });
});

describe('fitSeq2Seq checkpoints', () => {
  it('a run stopped after epoch 2 and resumed ends with the weights and losses of an uninterrupted run', async () => {
    const { train, graphemes, phonemes } = loadCmudict();
    const vocab = g2pVocab(graphemes, phonemes, 12, 14);
    const examples = g2pExamples(vocab, train.filter((p) => p.word.length > 1 && p.word.length <= 6).slice(0, 96));
    const make = () => Seq2Seq.create(vocab, { encoderUnits: 8, sourceEmbedding: 4, targetEmbedding: 4, seed: 5 });
    const options = { epochs: 3, batchSize: 32, learningRate: 1e-2 };
    const dir = mkdtempSync(join(tmpdir(), 'nz-s2s-ckpt-'));
    const [straight, stopped, resumed] = [make(), make(), make()];
    try {
      const whole = await fitSeq2Seq(straight, examples, options);
      const kill = (epoch: number) => {
        if (epoch === 1) throw new Error('killed after epoch 2');
      };
      await expect(fitSeq2Seq(stopped, examples, { ...options, checkpointDir: dir, onEpoch: kill })).rejects.toThrow('killed after epoch 2');
      const rest = await fitSeq2Seq(resumed, examples, { ...options, checkpointDir: dir, resume: true });
      expect(rest.resumedEpochs).toBe(2);
      expect(rest.losses).toEqual(whole.losses);
      straight.variables.forEach((v, i) => expect(tf.tidy(() => tf.max(tf.abs(tf.sub(v, resumed.variables[i]))).dataSync()[0])).toBe(0));
      await expect(fitSeq2Seq(make(), examples, { ...options, resume: true })).rejects.toThrow('resume needs checkpointDir to resume from');
    } finally {
      for (const m of [straight, stopped, resumed]) m.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
