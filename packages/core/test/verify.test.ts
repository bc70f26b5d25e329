/** verifyOnnx, randomInputs and randomizeWeights. */
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError } from '../src/errors.js';
import { exportOnnx } from '../src/onnx/index.js';
import { expectOnnxParity, randomizeWeights } from '../src/testing/index.js';
import { tf } from '../src/tf.js';
import { randomInputs, verifyOnnx } from '../src/verify.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
});

function mlp(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 6, inputShape: [4], activation: 'relu' }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 2 }),
    ],
  });
}

describe('verifyOnnx', () => {
  it('reports tiny errors for a faithful export, and leaks no tensors', async () => {
    const model = mlp();
    randomizeWeights(model, 1);
    const bytes = await exportOnnx(model);
    const before = tf.memory().numTensors;
    const result = await verifyOnnx(model, bytes);
    expect(tf.memory().numTensors).toBe(before);
    expect(result.outputs).toHaveLength(1);
    expect(result.maxAbsError).toBeLessThan(1e-5);
    expect(result.maxRelError).toBeLessThan(1e-5);
    expect(result.maxAbsError).toBe(result.outputs[0].maxAbsError);

    const x = tf.randomNormal([5, 4]);
    const withInputs = await verifyOnnx(model, bytes, x);
    expect(tf.memory().numTensors).toBe(before + 1); // the caller's input stays alive
    x.dispose();
    expect(withInputs.maxAbsError).toBeLessThan(1e-5);
  });

  it('detects weights that changed after export', async () => {
    const model = mlp();
    randomizeWeights(model, 1);
    const bytes = await exportOnnx(model);
    randomizeWeights(model, 2);
    const result = await verifyOnnx(model, bytes);
    expect(result.maxAbsError).toBeGreaterThan(1e-2);
    await expect(expectOnnxParity(model)).resolves.toBeDefined(); // re-exported: fine again
  });

  it('relative error is the absolute error over the reference scale', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] })] });
    randomizeWeights(model, 3);
    const bytes = await exportOnnx(model);
    const w = model.getWeights();
    const scaled = w.map((t) => t.mul(1000));
    model.setWeights(scaled);
    tf.dispose(scaled);
    const { outputs } = await verifyOnnx(model, bytes);
    // tfjs outputs are 1000x the ONNX ones: |a - b| / max|b| = 0.999.
    expect(outputs[0].maxRelError).toBeCloseTo(0.999, 3);
    tf.dispose(w);
  });

  it('throws ShapeError on an input count mismatch', async () => {
    const model = mlp();
    const bytes = await exportOnnx(model);
    const xs = [tf.zeros([1, 4]), tf.zeros([1, 4])];
    await expect(verifyOnnx(model, bytes, xs)).rejects.toThrow(ShapeError);
    tf.dispose(xs);
  });
});

describe('randomInputs', () => {
  it('is seeded, uses batch 3 by default, and gives Embedding inputs integer ids', () => {
    const x = tf.input({ shape: [5] });
    const model = tf.model({ inputs: x, outputs: tf.layers.embedding({ inputDim: 7, outputDim: 2 }).apply(x) as tf.SymbolicTensor });
    const [ids] = randomInputs(model);
    expect(ids.shape).toEqual([3, 5]);
    const values = Array.from(ids.dataSync());
    expect(values.every((v) => Number.isInteger(v) && v >= 0 && v < 7)).toBe(true);
    const [again] = randomInputs(model);
    expect(Array.from(again.dataSync())).toEqual(values);
    tf.dispose([ids, again]);
  });
});

describe('randomizeWeights', () => {
  it('sets every weight from the seed, with positive variances', () => {
    const a = mlp();
    const b = mlp();
    randomizeWeights(a, 5);
    randomizeWeights(b, 5);
    const wa = a.getWeights();
    const wb = b.getWeights();
    wa.forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(wb[i].dataSync())));
    for (const [i, w] of a.weights.entries()) {
      const v = Array.from(wa[i].dataSync());
      expect(v.some((x) => x !== 0 && x !== 1), w.name).toBe(true);
      if (w.name.includes('variance')) expect(Math.min(...v)).toBeGreaterThan(0);
    }
  });
});
