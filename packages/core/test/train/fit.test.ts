import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, OptionError, ShapeError } from '../../src/errors.js';
import { tf } from '../../src/tf.js';
import { earlyStopping, fit, learningRateScheduler, stepDecay } from '../../src/train/index.js';
import { blobs, smallModel, useWasm, weightsOf } from '../helpers.js';

beforeAll(useWasm);

describe('fit', () => {
  it('learns a separable problem and reports validation metrics', async () => {
    const { x, y } = blobs(400);
    const model = smallModel(1);
    const result = await fit(model, x, y, { epochs: 15, batchSize: 16, validationSplit: 0.25, seed: 3 });
    expect(result.epochs).toHaveLength(15);
    expect(Object.keys(result.history).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
    expect(result.history.val_acc.at(-1)).toBeGreaterThan(0.9);
    expect(result.history.loss.at(-1)).toBeLessThan(result.history.loss[0]);
    expect(result.trainSeconds).toBeGreaterThan(0);
    expect(result.samplesPerSecond * result.trainSeconds).toBeCloseTo(15 * 300, 6); // 15 epochs of the 300 training rows (400 less the 25% validation split)
  });

  it('gives identical weights for the same seed, different for another', async () => {
    const { x, y } = blobs(200);
    const run = async (seed: number) => {
      const model = smallModel(7);
      await fit(model, x, y, { epochs: 2, batchSize: 16, seed });
      return weightsOf(model);
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('keeps tf.memory().numTensors flat across epochs', async () => {
    const { x, y } = blobs(300);
    const model = smallModel(2);
    const counts: number[] = [];
    await fit(model, x, y, {
      epochs: 6,
      batchSize: 32,
      validationSplit: 0.2,
      callbacks: [{ onEpochEnd: () => void counts.push(tf.memory().numTensors) }],
    });
    expect(counts).toHaveLength(6);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(counts[0]).toBe(counts[5]);
  });

  it('stops early when the monitored metric stalls and restores the best weights', async () => {
    const { x, y } = blobs(200);
    const model = smallModel(3);
    let firstEpochWeights: number[][] = [];
    const recordFirst = { onEpochEnd: (epoch: number) => void (epoch === 0 && (firstEpochWeights = weightsOf(model))) };
    // A minDelta no epoch can beat: only the first epoch counts as an improvement.
    const stop = earlyStopping({ monitor: 'val_loss', patience: 2, minDelta: 100 });
    const result = await fit(model, x, y, { epochs: 20, validationSplit: 0.2, callbacks: [recordFirst, stop] });
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochs).toEqual([0, 1, 2]);
    expect(weightsOf(model)).toEqual(firstEpochWeights);
  });

  it('applies a learning-rate schedule every epoch and logs it', async () => {
    const { x, y } = blobs(64);
    const model = smallModel(4, 8, 'sgd');
    const result = await fit(model, x, y, { epochs: 4, callbacks: [learningRateScheduler(stepDecay(0.5, 2))] });
    expect(result.history.lr).toEqual([0.01, 0.01, 0.005, 0.005]);
  });

  it('rejects bad input with typed, exact errors', async () => {
    const { x, y } = blobs(20);
    const model = smallModel(1);
    await expect(fit(model, x, y, { epoch: 3 } as never)).rejects.toThrow(
      new OptionError('Unknown fit option(s): epoch. Valid options: epochs, batchSize, seed, shuffle, validationData, validationSplit, callbacks, verbose, checkpoint, resume, checkData'),
    );
    await expect(fit(model, tf.zeros([20, 9]), y)).rejects.toThrow(
      new ShapeError("Input 'dense_Dense1_input' expects shape [batch, 8] but x has shape [20, 9]".replace('dense_Dense1_input', model.inputs[0].name)),
    );
    const bad = x.bufferSync();
    bad.set(Number.NaN, 3, 2);
    await expect(fit(model, bad.toTensor(), y)).rejects.toThrow(
      new DataError('Training data x contains NaN at sample 3 (flat index 26); expected finite numbers: clean or impute the data first'),
    );
    await expect(fit(model, x, y.slice(0, 10))).rejects.toThrow(new ShapeError('y must hold 20 samples like x, got 10'));
    const raw = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 2 })] });
    await expect(fit(raw, x, y)).rejects.toThrow(new OptionError('The model must be compiled (model.compile({ optimizer, loss })) before fit'));
  });
});

describe('checkpoints and resume', () => {
  it('resumes from the last checkpoint and ends with the same weights as an uninterrupted run', async () => {
    const { x, y } = blobs(160);
    const dir = mkdtempSync(join(tmpdir(), 'nz-ckpt-'));
    const full = smallModel(9);
    const fullResult = await fit(full, x, y, { epochs: 4, batchSize: 16, seed: 11, validationSplit: 0.25, callbacks: [earlyStopping({ patience: 10 })] });

    const first = smallModel(9);
    await fit(first, x, y, { epochs: 2, batchSize: 16, seed: 11, validationSplit: 0.25, checkpoint: { dir }, callbacks: [earlyStopping({ patience: 10 })] });
    const resumed = smallModel(9); // a fresh process would rebuild the model like this
    const result = await fit(resumed, x, y, {
      epochs: 4, batchSize: 16, seed: 11, validationSplit: 0.25, checkpoint: { dir }, resume: true, callbacks: [earlyStopping({ patience: 10 })],
    });
    expect(result.epochs).toEqual([2, 3]);
    expect(result.history.loss).toHaveLength(4);
    expect(result.history).toEqual(fullResult.history);
    expect(weightsOf(resumed)).toEqual(weightsOf(full));
  });

  it('starts from scratch when resume finds no checkpoint', async () => {
    const { x, y } = blobs(64);
    const dir = mkdtempSync(join(tmpdir(), 'nz-ckpt-'));
    const result = await fit(smallModel(1), x, y, { epochs: 2, checkpoint: { dir }, resume: true });
    expect(result.epochs).toEqual([0, 1]);
  });

  it('refuses resume without a checkpoint directory', async () => {
    const { x, y } = blobs(8);
    await expect(fit(smallModel(1), x, y, { resume: true })).rejects.toThrow(new OptionError('resume needs checkpoint: { dir } to resume from'));
  });
});
