import { fileURLToPath } from 'node:url';
import { initBackend, tf } from '@neurozoo/core';
import { installRuntime, randomizeWeights, trainingPackages } from '@neurozoo/core/testing';
import { describe, expect, it } from 'vitest';
import { Autoencoder, undercompleteAutoencoder } from '../src/index.js';

const SCRIPT = (x: number[]) => `
import { OnnxAutoencoder } from '@neurozoo/autoencoder/runtime';
const ae = await OnnxAutoencoder.load({ encoder: 'encoder.onnx', decoder: 'decoder.onnx', autoencoder: 'autoencoder.onnx' });
const x = Float32Array.from(${JSON.stringify(x)});
const code = await ae.encode(x);
const scores = await ae.scores(x);
console.log(JSON.stringify({ code: Array.from(code.data), scores: Array.from(scores) }));
`;

describe('packed tarballs', () => {
  it('a runtime install of @neurozoo/autoencoder holds no TensorFlow.js and encodes and scores as tfjs does', async () => {
    await initBackend({ backend: 'cpu' });
    const models = undercompleteAutoencoder({ inputSize: 16, code: 3 });
    randomizeWeights(models.model, 6);
    const ae = new Autoencoder(models);
    const x = Array.from(tf.tidy(() => tf.randomUniform([5, 16], 0, 1, 'float32', 2).dataSync()));
    const graphs = await ae.exportOnnx();
    const project = installRuntime(fileURLToPath(new URL('..', import.meta.url)), {
      'encoder.onnx': graphs.encoder,
      'decoder.onnx': graphs.decoder,
      'autoencoder.onnx': graphs.autoencoder,
    });
    expect(trainingPackages(project.installed())).toEqual([]);
    const result = JSON.parse(project.run('score.mjs', SCRIPT(x)).trim());
    const code = ae.encode(Float32Array.from(x));
    const errors = ae.reconstructionErrors(Float32Array.from(x));
    expect(result.code).toHaveLength(15);
    result.code.forEach((v: number, i: number) => expect(Math.abs(v - code[i])).toBeLessThan(1e-5));
    expect(result.scores).toHaveLength(5);
    result.scores.forEach((v: number, i: number) => expect(Math.abs(v - errors[i])).toBeLessThan(1e-4));
  }, 600_000);
});
