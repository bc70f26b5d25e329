import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@neurozoo/core';
import { createSession } from '@neurozoo/core/runtime';
import { checkOnnx, expectOnnxParity, randomizeWeights } from '@neurozoo/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSeq2SeqTransformer, exportSeq2Seq, G2PTransformer, type Seq2SeqExample, seq2seqParts, trainSeq2Seq } from '../src/index.js';
import { G2PInputError, g2pVocab, OnnxG2P, padRows } from '../src/runtime/index.js';

beforeAll(async () => {
  await initBackend();
});

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/** Source rows of `lengths` with ids in [1, vocab), padded with 0 to the longest. */
const sourceRows = (lengths: number[], vocab: number, seed: number) =>
  lengths.map((n, r) => Int32Array.from({ length: n }, (_, i) => 1 + ((i * 5 + r * 3 + seed) % (vocab - 1))));

describe.each([
  ['pre-LN GELU', { normFirst: true, activation: 'gelu' as const }],
  ['post-LN ReLU', { normFirst: false, activation: 'relu' as const }],
])('seq2seq transformer %s', (_name, variant) => {
  const config = { sourceVocabSize: 9, targetVocabSize: 11, maxSourceLength: 8, maxTargetLength: 7, dim: 12, heads: 3, encoderLayers: 2, decoderLayers: 2, ffDim: 20, ...variant };
  const model = buildSeq2SeqTransformer(config, 1);
  randomizeWeights(model, 5);

  it('full-sequence graph matches tfjs (batch 1 and 3, padded sources, lengths 1-8)', async () => {
    let worst = 0;
    for (const [lengths, t] of [[[1], 1], [[5], 4], [[8, 3, 6], 7], [[2, 2, 2], 2]] as [number[], number][]) {
      const src = padRows(sourceRows(lengths, 9, t));
      const tgt = Array.from({ length: lengths.length * t }, (_, i) => (i % t === 0 ? 1 : 3 + (i % 8)));
      const inputs = [tf.tensor2d(src.data, [lengths.length, src.length]), tf.tensor2d(tgt, [lengths.length, t])];
      const { maxAbsError } = await expectOnnxParity(model, inputs, { check: lengths.length === 3 && t === 7 });
      worst = Math.max(worst, maxAbsError);
      tf.dispose(inputs);
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('encoder + KV-cache decoder step give the logits tfjs gives on the whole prefix (batch 1 and 3); the checker passes', async () => {
    const { encoder, decoderStep } = exportSeq2Seq(model);
    checkOnnx(encoder);
    checkOnnx(decoderStep);
    const enc = await createSession(encoder, { devices: ['cpu'] });
    const dec = await createSession(decoderStep, { devices: ['cpu'] });
    const parts = seq2seqParts(model);
    const [h, d] = [parts.decoder[0].spec.numHeads, parts.decoder[0].spec.keyDim];
    let worst = 0;
    for (const lengths of [[6], [8, 2, 5]]) {
      const b = lengths.length;
      const src = padRows(sourceRows(lengths, 9, 2));
      const memory = await enc.run({ source: { data: src.data, dims: [b, src.length] } });
      expect(memory.memory_key_1.dims).toEqual([b, h, src.length, d]);
      const targets = Array.from({ length: b }, (_, r) => [1, ...Array.from({ length: 6 }, (_, i) => 3 + ((i * 3 + r) % 8))]);
      const empty = { data: new Float32Array(0), dims: [b, h, 0, d] };
      let past: Record<string, { data: unknown; dims: number[] }> = { past_key_0: empty, past_value_0: empty, past_key_1: empty, past_value_1: empty };
      for (let t = 0; t < 7; t++) {
        const feeds = { ids: { data: Float32Array.from(targets.map((row) => row[t])), dims: [b, 1] }, ...memory, ...past } as never;
        const out = await dec.run(feeds);
        expect(out.present_key_0.dims).toEqual([b, h, t + 1, d]);
        const ref = tf.tidy(() => {
          const prefix = tf.tensor2d(targets.map((row) => row.slice(0, t + 1)));
          const logits = model.predict([tf.tensor2d(src.data, [b, src.length]), prefix]) as tf.Tensor;
          return logits.slice([0, t, 0], [b, 1, -1]).dataSync() as Float32Array;
        });
        worst = Math.max(worst, maxDiff(out.logits.data as Float32Array, ref));
        past = Object.fromEntries(Object.entries(out).filter(([k]) => k.startsWith('present_')).map(([k, v]) => [k.replace('present_', 'past_'), v]));
      }
    }
    console.log(`seq2seq decoder-step max abs logit error vs tfjs: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
    await enc.release();
    await dec.release();
  });
});

describe('G2P decoding with random weights', () => {
  const vocab = g2pVocab([..."'abcdefgh"], ['AA', 'B', 'CH', 'D', 'EH', 'F', 'G'], 10, 9);
  const g2p = G2PTransformer.create(vocab, { dim: 16, heads: 2, encoderLayers: 1, decoderLayers: 2, ffDim: 24 }, 3);
  randomizeWeights(g2p.model, 11);
  const words = ['a', 'bad', 'cafe', "h'ead", 'fedcba', 'abcdefghab', 'gag'];

  it('onnxruntime greedy (batched) and beam-4 tokens equal tfjs decoding', async () => {
    const { encoder, decoderStep } = g2p.export();
    const ort = await OnnxG2P.load(encoder, decoderStep, vocab, { devices: ['cpu'] });
    const tfGreedy = await g2p.predict(words);
    const ortGreedy = await ort.predict(words, { batchSize: 4 });
    expect(tfGreedy.filter((p) => p.ids.length > 1).length).toBeGreaterThan(2);
    expect(ortGreedy.map((p) => p.ids)).toEqual(tfGreedy.map((p) => p.ids));
    const tfBeam = await g2p.predict(words, { beam: 4 });
    const ortBeam = await ort.predict(words, { beam: 4 });
    expect(ortBeam.map((p) => p.ids)).toEqual(tfBeam.map((p) => p.ids));
    for (let i = 0; i < words.length; i++) {
      expect(Math.abs(ortBeam[i].logProb - tfBeam[i].logProb)).toBeLessThan(1e-3);
      expect(tfBeam[i].logProb).toBeGreaterThanOrEqual(tfGreedy[i].logProb - 1e-4);
    }
    expect((await ort.predict(['bad'], { beam: 1 }))[0].ids).toEqual(tfGreedy[1].ids);
    await ort.release();
  });

  it('bad input fails with exact messages before decoding', async () => {
    const { encoder, decoderStep } = g2p.export();
    const ort = await OnnxG2P.load(encoder, decoderStep, vocab, { devices: ['cpu'] });
    for (const predict of [(w: string[]) => g2p.predict(w), (w: string[]) => ort.predict(w)]) {
      await expect(predict(['bad', '  '])).rejects.toThrow(new G2PInputError('Empty input: give at least one symbol.'));
      await expect(predict(['Bed-Z'])).rejects.toThrow(new G2PInputError(`'bed-z' has symbol(s) outside the vocabulary: "-", "z". Known: ' a b c d e f g h`));
      await expect(predict(['abcdefghabc'])).rejects.toThrow(new G2PInputError("'abcdefghabc' has 11 symbols; this model accepts at most 10."));
    }
    await expect(ort.predict([''])).rejects.toBeInstanceOf(G2PInputError);
    await ort.release();
  });
});

describe('trainSeq2Seq', () => {
  const examples: Seq2SeqExample[] = Array.from({ length: 40 }, (_, i) => ({
    source: Int32Array.from({ length: 2 + (i % 4) }, (_, t) => 1 + ((i + t) % 8)),
    target: Array.from({ length: 1 + (i % 5) }, (_, t) => 3 + ((i * t) % 8)),
  }));
  const config = { sourceVocabSize: 9, targetVocabSize: 11, maxSourceLength: 8, maxTargetLength: 7, dim: 8, heads: 2, encoderLayers: 1, decoderLayers: 1, ffDim: 12, dropout: 0.1 };
  const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

  it('killed after epoch 1 and resumed to 3 gives the weights and losses of an uninterrupted run; no tensor leaks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nz-s2s-'));
    try {
      const options = { epochs: 3, batchSize: 8, seed: 4, learningRate: 3e-3 };
      const whole = buildSeq2SeqTransformer(config, 2);
      const counts: number[] = [];
      const full = await trainSeq2Seq(whole, examples, { ...options, onEpoch: () => void counts.push(tf.memory().numTensors) });
      expect(counts[2]).toBe(counts[1]);
      // A run killed after its first epoch's checkpoint (onEpoch runs after the checkpoint is written).
      const cut = buildSeq2SeqTransformer(config, 2);
      const killed = trainSeq2Seq(cut, examples, { ...options, checkpointDir: dir, onEpoch: () => { throw new Error('killed'); } });
      await expect(killed).rejects.toThrow('killed');
      const resumedModel = buildSeq2SeqTransformer(config, 2);
      const resumed = await trainSeq2Seq(resumedModel, examples, { ...options, checkpointDir: dir, resume: true });
      expect(resumed.epochs).toEqual([1, 2]);
      expect(resumed.losses).toEqual(full.losses);
      expect(weightsOf(resumedModel)).toEqual(weightsOf(whole));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad options fail with exact messages', async () => {
    const model = buildSeq2SeqTransformer(config, 2);
    await expect(trainSeq2Seq(model, [], { epochs: 1 })).rejects.toThrow('trainSeq2Seq needs at least one example');
    await expect(trainSeq2Seq(model, examples, { epochs: 0 })).rejects.toThrow('epochs must be a positive integer, got 0');
    await expect(trainSeq2Seq(model, examples, { epochs: 1, schedule: 'time' })).rejects.toThrow("schedule 'time' needs a positive maxSeconds, got undefined");
    await expect(trainSeq2Seq(model, [{ source: new Int32Array(0), target: [3] }], { epochs: 1 })).rejects.toThrow('example 0 has an empty source');
    expect(() => buildSeq2SeqTransformer({ ...config, dim: 10, heads: 4 })).toThrow('Seq2SeqTransformerConfig.dim (10) must be a multiple of heads (4)');
  });

  it('tfjs decoding leaves no tensors behind', async () => {
    const vocab = g2pVocab([...'abcdefgh'], ['AA', 'B', 'CH', 'D', 'EH', 'F', 'G', 'HH'], 8, 6);
    const g2p = G2PTransformer.create(vocab, { dim: 8, heads: 2, encoderLayers: 1, decoderLayers: 1, ffDim: 12 }, 1);
    await g2p.predict(['abc']);
    const before = tf.memory().numTensors;
    await g2p.predict(['abc', 'hg', 'fedcba']);
    await g2p.predict(['abc'], { beam: 3 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
