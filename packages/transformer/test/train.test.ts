import { initBackend, tf } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGpt, lossModel, meanOfOutput, tokenCrossEntropy, trainSequenceModel } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('sequence training', () => {
  it('lossModel outputs the per-sequence mean token cross-entropy of the LM; meanOfOutput averages it', () => {
    const lm = buildGpt({ vocabSize: 6, contextLength: 4, dim: 8, heads: 2, layers: 1, ffDim: 8 }, 0);
    const trainer = lossModel(lm, { ignoreId: 0 });
    const ids = tf.tensor2d([[1, 2, 3, 4], [5, 4, 3, 2]]);
    const targets = tf.tensor2d([[2, 3, 4, 0], [4, 3, 2, 1]]);
    const loss = trainer.predict([ids, targets]) as tf.Tensor;
    const expected = tf.tidy(() => tokenCrossEntropy(lm.predict(ids) as tf.Tensor, targets, 0, 0).mean(1, true));
    expect(loss.shape).toEqual([2, 1]);
    Array.from(loss.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected.dataSync()[i], 5));
    const mean = meanOfOutput(tf.zeros([2, 1]), loss);
    expect(mean.dataSync()[0]).toBeCloseTo((loss.dataSync()[0] + loss.dataSync()[1]) / 2, 6);
    tf.dispose([ids, targets, loss, expected, mean]);
    lm.dispose();
  });

  it('trainSequenceModel learns a periodic sequence (loss falls by more than half)', async () => {
    const period = [1, 2, 3, 4, 5];
    const n = 32;
    const t = 8;
    const at = (i: number) => period[i % period.length];
    const x = tf.tensor2d(Array.from({ length: n * t }, (_, i) => at(Math.floor(i / t) + (i % t))), [n, t]);
    const y = tf.tensor2d(Array.from({ length: n * t }, (_, i) => at(Math.floor(i / t) + (i % t) + 1)), [n, t]);
    const lm = buildGpt({ vocabSize: 6, contextLength: t, dim: 16, heads: 2, layers: 1, ffDim: 32, dropout: 0 }, 0);
    const result = await trainSequenceModel(lm, x, y, { epochs: 8, batchSize: 8, seed: 0, learningRate: 1e-2, labelSmoothing: 0, verbose: false });
    const losses = result.history.loss;
    expect(result.epochs).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 2);
    tf.dispose([x, y]);
    lm.dispose();
  });
});
