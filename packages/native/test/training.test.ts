/** A small MLP trained with Adam on native follows the same loss curve as on wasm. */
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { randomData, skip, tf } from './helpers.js';

async function curve(backend: string, steps = 30): Promise<{ losses: number[]; leaked: number }> {
  await tf.setBackend(backend);
  await tf.ready();
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 32, activation: 'relu', inputShape: [20], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
  model.add(tf.layers.dense({ units: 16, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
  model.add(tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }));
  model.compile({ optimizer: tf.train.adam(1e-2), loss: 'categoricalCrossentropy' });
  const x = tf.tensor2d(randomData(64 * 20, 7), [64, 20]);
  const y = tf.oneHot(tf.tensor1d(Array.from(randomData(64, 8), (v) => Math.floor((v + 1) * 2)), 'int32'), 4).toFloat();
  const losses: number[] = [];
  await model.trainOnBatch(x, y); // creates the optimizer's slots before counting tensors
  const before = tf.memory().numTensors;
  for (let i = 0; i < steps; i++) losses.push((await model.trainOnBatch(x, y)) as number);
  const leaked = tf.memory().numTensors - before;
  tf.dispose([x, y]);
  model.dispose();
  return { losses, leaked };
}

describe.skipIf(skip)('training on native', () => {
  it('matches the wasm loss curve (Adam, fused dense layers) and leaks no tensors', async () => {
    const wasm = await curve('wasm');
    const native = await curve('native');
    expect(native.leaked).toBe(0);
    expect(native.losses[native.losses.length - 1]).toBeLessThan(native.losses[0] * 0.8);
    native.losses.forEach((l, i) => expect(Math.abs(l - wasm.losses[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(wasm.losses[i]))));
  });

  it('is deterministic with threads: the same CNN run twice gives bitwise-equal weights', async () => {
    await tf.setBackend('native');
    const run = async () => {
      const model = tf.sequential();
      model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [12, 12, 2], kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }));
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      model.add(tf.layers.flatten());
      model.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }));
      model.compile({ optimizer: tf.train.adam(1e-2), loss: 'categoricalCrossentropy' });
      // 24 images: more than the pool's threads, so the filter gradient is split over them.
      const x = tf.tensor4d(randomData(24 * 12 * 12 * 2, 9), [24, 12, 12, 2]);
      const y = tf.oneHot(tf.tensor1d(Array.from(randomData(24, 10), (v) => Math.floor((v + 1) * 1.5)), 'int32'), 3).toFloat();
      for (let i = 0; i < 5; i++) await model.trainOnBatch(x, y);
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      tf.dispose([x, y]);
      model.dispose();
      return weights;
    };
    const a = await run();
    const b = await run();
    expect(b).toEqual(a);
  });
});
