import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fit, initBackend, loadModel, saveModel, tf } from '@neurozoo/core';
import { expectOnnxParity, randomizeWeights } from '@neurozoo/core/testing';
import { loadMnist } from '@neurozoo/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildEncoderClassifier, ClippedAdam } from '../src/index.js';

beforeAll(async () => {
  await initBackend();
});

/** Token rows [b, t] with the last `pad` positions of rows after the first set to 0. */
const tokens = (b: number, t: number, pad: number) =>
  tf.tensor2d(Array.from({ length: b * t }, (_, i) => (i >= t && i % t >= t - pad ? 0 : 1 + ((i * 7 + 3) % 12))), [b, t]);

describe('encoder classifier ONNX parity (random weights)', () => {
  for (const pooling of ['mean', 'max'] as const) {
    it(`token ids with padding, ${pooling} pooling, batch 1 and 3, lengths 1/6/10`, async () => {
      const model = buildEncoderClassifier({ vocabSize: 13, contextLength: 10, classes: 4, dim: 16, heads: 2, layers: 2, ffDim: 24, pooling }, 1);
      randomizeWeights(model, 2);
      let worst = 0;
      for (const [b, t] of [[1, 1], [3, 6], [3, 10], [1, 10]]) {
        const x = tokens(b, t, b > 1 ? 2 : 0);
        const { maxAbsError } = await expectOnnxParity(model, x, { check: b === 3 && t === 10 });
        worst = Math.max(worst, maxAbsError);
        x.dispose();
      }
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it('feature vectors (post-LN, sinusoidal positions, GELU), batch 1 and 4, lengths 3 and 28', async () => {
    const model = buildEncoderClassifier({ features: 5, contextLength: 28, classes: 3, dim: 12, heads: 3, layers: 1, normFirst: false, positional: 'sinusoidal', activation: 'gelu' }, 4);
    randomizeWeights(model, 6);
    for (const [b, t] of [[1, 3], [4, 28]]) {
      const x = tf.randomNormal([b, t, 5], 0, 1, 'float32', 7);
      const { maxAbsError } = await expectOnnxParity(model, x, { check: b === 4 });
      expect(maxAbsError).toBeLessThan(1e-5);
      x.dispose();
    }
  });

  it('saves and reloads (MaskedMaxPooling, LayerNorm) with the same outputs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nz-cls-'));
    try {
      const model = buildEncoderClassifier({ vocabSize: 13, contextLength: 10, classes: 4, dim: 8, heads: 2, layers: 1, pooling: 'max' }, 3);
      randomizeWeights(model, 5);
      await saveModel(model, dir);
      const loaded = await loadModel(dir);
      expect(loaded.layers.map((l) => l.getClassName())).toEqual(expect.arrayContaining(['MaskedMaxPooling', 'TransformerLayerNorm']));
      const x = tokens(3, 6, 2);
      const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([x, a, b]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad configurations fail with exact messages', () => {
    expect(() => buildEncoderClassifier({ contextLength: 4, classes: 2 })).toThrow('EncoderClassifierConfig needs exactly one of vocabSize (token ids) and features (vectors), got neither');
    expect(() => buildEncoderClassifier({ vocabSize: 5, features: 3, contextLength: 4, classes: 2 })).toThrow('EncoderClassifierConfig needs exactly one of vocabSize (token ids) and features (vectors), got both');
    expect(() => buildEncoderClassifier({ features: 3, contextLength: 4, classes: 1 })).toThrow('EncoderClassifierConfig.classes must be at least 2, got 1');
    expect(() => buildEncoderClassifier({ features: 3, contextLength: 4, classes: 2, dim: 10, heads: 4 })).toThrow('EncoderClassifierConfig.dim (10) must be a multiple of heads (4)');
    expect(() => buildEncoderClassifier({ features: 3, contextLength: 0, classes: 2 })).toThrow('EncoderClassifierConfig.contextLength must be a positive integer, got 0');
  });
});

describe('encoder classifier on MNIST rows (28 tokens of 28 pixels)', () => {
  it('reaches a held-out accuracy far above chance after 2 epochs on 2000 images', async () => {
    const { train, test } = loadMnist();
    const n = 2000;
    const m = 1000;
    const x = tf.tensor3d(train.x.subarray(0, n * 784), [n, 28, 28]);
    const y = tf.oneHot(tf.tensor1d(train.y.subarray(0, n), 'int32'), 10).toFloat();
    const model = buildEncoderClassifier({ features: 28, contextLength: 28, classes: 10, dim: 32, heads: 2, layers: 1, ffDim: 64, dropout: 0 }, 0);
    model.compile({ optimizer: new ClippedAdam(3e-3, 1), loss: 'categoricalCrossentropy' });
    const counts: number[] = [];
    const result = await fit(model, x, y, { epochs: 2, batchSize: 32, seed: 0, verbose: false, callbacks: [{ onEpochEnd: () => void counts.push(tf.memory().numTensors) }] });
    expect(counts[1]).toBe(counts[0]);
    const predicted = tf.tidy(() => (model.predict(tf.tensor3d(test.x.subarray(0, m * 784), [m, 28, 28])) as tf.Tensor).argMax(-1).dataSync());
    const accuracy = Array.from(predicted).filter((c, i) => c === test.y[i]).length / m;
    console.log(`encoder classifier, MNIST rows: held-out accuracy ${(100 * accuracy).toFixed(1)}% on ${m} test images (${result.samplesPerSecond.toFixed(0)} samples/s)`);
    expect(accuracy).toBeGreaterThan(0.6);
    const sample = tf.tensor3d(test.x.subarray(0, 4 * 784), [4, 28, 28]);
    const { maxAbsError } = await expectOnnxParity(model, sample, { check: false });
    expect(maxAbsError).toBeLessThan(1e-4);
    tf.dispose([x, y, sample]);
  }, 600_000);
});
