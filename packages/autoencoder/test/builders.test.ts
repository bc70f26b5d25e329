import { initBackend, OptionError, tf } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ActivityL1, Autoencoder, convAutoencoder, deepAutoencoder, denoisingAutoencoder, denseAutoencoder, sparseAutoencoder,
  splitAutoencoder, undercompleteAutoencoder,
} from '../src/index.js';

beforeAll(() => initBackend({ backend: 'wasm' }));

const widths = (m: tf.LayersModel) => m.layers.filter((l) => l.getClassName() === 'Dense').map((l) => (l.getConfig() as { units: number }).units);

describe('builders', () => {
  it('the deep autoencoder is 784-1000-500-250-30 with a mirrored decoder', () => {
    const { encoder, decoder } = deepAutoencoder();
    expect(widths(encoder)).toEqual([1000, 500, 250, 30]);
    expect(widths(decoder)).toEqual([250, 500, 1000, 784]);
  });

  it('refuses a code that is not narrower than the input, unless a regulariser is chosen', () => {
    const message =
      'The code (784 units) must be narrower than the input (784 features), or the autoencoder can learn the identity. ' +
      'Use a smaller code, or choose a regulariser: noise > 0 (denoising) or sparsity > 0 (sparse).';
    expect(() => undercompleteAutoencoder({ inputSize: 784, code: 784 })).toThrow(new OptionError(message));
    expect(() => denseAutoencoder({ inputSize: 10, code: 20 })).toThrow(OptionError);
    expect(() => convAutoencoder({ filters: [16, 16] })).toThrow(/7x7x16 = 784 values\) must be narrower/);
    expect(() => sparseAutoencoder({ inputSize: 10, code: 20 })).not.toThrow();
    expect(() => denoisingAutoencoder({ inputSize: 10, code: 20 })).not.toThrow();
    expect(() => denseAutoencoder({ inputSize: 10, code: 4, noise: -1 })).toThrow('noise must be a number >= 0, got -1');
  });

  it('encoder and decoder share the full model\'s weights, also after training', async () => {
    const models = undercompleteAutoencoder({ inputSize: 20, code: 4, seed: 1 });
    const ae = new Autoencoder(models, { loss: 'mse', learningRate: 0.01 });
    const x = Float32Array.from({ length: 64 * 20 }, (_, i) => (Math.sin(i) + 1) / 2);
    const before = ae.encode(x.subarray(0, 20));
    await ae.fit(x, { epochs: 2, batchSize: 16, validationSplit: 0, verbose: false });
    expect(ae.encode(x.subarray(0, 20))).not.toEqual(before);
    const full = ae.reconstruct(x);
    const twoSteps = ae.decode(ae.encode(x));
    full.forEach((v, i) => expect(v).toBeCloseTo(twoSteps[i], 6));
    expect(models.model.trainableWeights.map((w) => w.name).sort())
      .toEqual([...models.encoder.trainableWeights, ...models.decoder.trainableWeights].map((w) => w.name).sort());
    const split = splitAutoencoder(models.model);
    expect([split.encoder, split.decoder]).toEqual([models.encoder, models.decoder]);
  });

  it('denoising: noise only while training (inference is deterministic and noise-free)', () => {
    const { model, encoder, decoder } = denoisingAutoencoder({ inputSize: 16, code: 4, noise: 1 });
    const x = tf.randomUniform([5, 16]);
    const a = model.predict(x) as tf.Tensor;
    const b = decoder.predict(encoder.predict(x) as tf.Tensor) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-6);
    const noisy = model.layers.find((l) => l.name === 'denoising_noise')!;
    const train = noisy.apply(x, { training: true }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(train, x))).dataSync()[0]).toBeGreaterThan(0.1);
  });

  it('ActivityL1 is the identity forward and adds l1 * sign(a) / batch to the gradient', () => {
    const layer = new ActivityL1({ l1: 0.5 });
    const a = tf.tensor2d([[1, -2], [0.5, 3]]);
    expect(Array.from((layer.apply(a) as tf.Tensor).dataSync())).toEqual([1, -2, 0.5, 3]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t) as tf.Tensor))(a);
    expect(Array.from(g.dataSync())).toEqual([1.25, 0.75, 1.25, 1.25]);
    expect(new ActivityL1({ l1: 0.5 }).getConfig()).toMatchObject({ l1: 0.5 });
  });

  it('a saved and reloaded sparse autoencoder (custom layer) still splits into encoder and decoder', async () => {
    const { model } = sparseAutoencoder({ inputSize: 8, code: 16 });
    const artifacts = await new Promise<tf.io.ModelArtifacts>((resolve) => {
      void model.save(tf.io.withSaveHandler(async (a) => { resolve(a); return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    });
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const { encoder } = splitAutoencoder(loaded);
    expect(encoder.outputs[0].shape).toEqual([null, 16]);
    expect(loaded.layers.map((l) => l.getClassName())).toContain('ActivityL1');
  });
});
