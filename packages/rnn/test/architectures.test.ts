import { initBackend, tf } from '@neurozoo/core';
import { expectOnnxParity } from '@neurozoo/core/testing';
import { loadMnist, take } from '@neurozoo/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracyOf, lstmArchitecture } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('lstm architecture (row-wise MNIST)', () => {
  it('learns on a 1000-image subset and exports a native ONNX LSTM with parity', async () => {
    const { train, test } = loadMnist();
    const trained = await lstmArchitecture.train({
      train: take(train, 1000), test: take(test, 300), epochs: 2, batchSize: 32, seed: 0, verbose: false,
    });
    console.log('subset accuracy', trained.testMetrics.accuracy, 'samples/s', trained.fit?.samplesPerSecond);
    expect(trained.testMetrics.accuracy).toBeGreaterThan(0.3); // chance is 0.1
    const slice = take(test, 300);
    expect(accuracyOf(trained.model, slice)).toBe(trained.testMetrics.accuracy);
    const predicted = tf.tidy(() => (trained.model.predict(tf.tensor2d(slice.x, [300, 784])) as tf.Tensor).argMax(-1).dataSync());
    expect(accuracyOf(trained.model, slice, 7)).toBe(predicted.filter((p, i) => p === slice.y[i]).length / 300);
    const { maxAbsError, bytes } = await expectOnnxParity(trained.model, trained.sampleInputs);
    expect(maxAbsError).toBeLessThan(1e-4);
    expect(Buffer.from(bytes).includes(Buffer.from('LSTM'))).toBe(true);
    tf.dispose(trained.sampleInputs);
  }, 600_000);
});
