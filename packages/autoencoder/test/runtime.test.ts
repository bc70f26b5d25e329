import { initBackend, tf } from '@neurozoo/core';
import { randomizeWeights } from '@neurozoo/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { Autoencoder, convAutoencoder, undercompleteAutoencoder } from '../src/index.js';
import { chooseThreshold, OnnxAutoencoder, rocAuc } from '../src/runtime/index.js';

beforeAll(() => initBackend({ backend: 'wasm' }));
/** Element-wise equality within `tol`; an empty or truncated output fails instead of passing vacuously. */
const close = (a: Float32Array, b: Float32Array, tol = 1e-5) => {
  expect(a.length).toBeGreaterThan(0);
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(tol));
};

describe('@neurozoo/autoencoder/runtime (onnxruntime only)', () => {
  for (const [label, build] of [
    ['dense 32-6-32', () => undercompleteAutoencoder({ inputSize: 32, code: 6 })],
    ['conv 8x8x1', () => convAutoencoder({ inputShape: [8, 8, 1], filters: [4, 2] })],
  ] as const) {
    it(`${label}: encode, decode, reconstruct and scores equal tfjs`, async () => {
      const models = build();
      randomizeWeights(models.model, 5);
      const ae = new Autoencoder(models);
      const graphs = await ae.exportOnnx();
      const x = tf.randomUniform([4, ae.inputSize], 0, 1, 'float32', 9).dataSync() as Float32Array;
      const rt = await OnnxAutoencoder.load(graphs, { devices: ['cpu'] });
      close((await rt.encode(x)).data, ae.encode(x));
      close((await rt.decode(ae.encode(x))).data, ae.decode(ae.encode(x)));
      const rec = await rt.reconstruct(x);
      expect(rec.dims[0]).toBe(4);
      close(rec.data, ae.reconstruct(x));
      close(await rt.scores(x, 3), ae.reconstructionErrors(x), 1e-4);
      // Without the full graph, reconstruct goes through encoder then decoder.
      const twoGraphs = await OnnxAutoencoder.load({ encoder: graphs.encoder, decoder: graphs.decoder });
      close((await twoGraphs.reconstruct(x)).data, ae.reconstruct(x));
      await expect(twoGraphs.detect(x)).rejects.toThrow('No threshold: call calibrate(validation) or set threshold first');
      await Promise.all([rt.release(), twoGraphs.release()]);
    });
  }

  it('says which graph is missing, and checks input sizes', async () => {
    const ae = new Autoencoder(undercompleteAutoencoder({ inputSize: 8, code: 2 }));
    const rt = await OnnxAutoencoder.load({ decoder: (await ae.exportOnnx()).decoder });
    await expect(rt.encode(new Float32Array(8))).rejects.toThrow('This OnnxAutoencoder was loaded without the encoder graph');
    await expect(rt.decode(new Float32Array(3))).rejects.toThrow('Expected a multiple of 2 values per sample, got 3');
    await expect(OnnxAutoencoder.load({})).rejects.toThrow('needs at least one of encoder, decoder, autoencoder');
  });

  it('rocAuc and chooseThreshold', () => {
    expect(rocAuc([1, 2, 3], [4, 5])).toBe(1);
    expect(rocAuc([4, 5], [1, 2, 3])).toBe(0);
    expect(rocAuc([1, 2], [1, 2])).toBe(0.5);
    expect(chooseThreshold([0, 1, 2, 3, 4], 0.5)).toBe(2);
    expect(chooseThreshold([0, 10], 0.99)).toBeCloseTo(9.9, 10);
    expect(() => chooseThreshold([1], 1)).toThrow('quantile must be in (0, 1), got 1');
  });
});
