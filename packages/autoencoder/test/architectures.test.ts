import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, type TrainingData, tf } from '@neurozoo/core';
import { loadMnist } from '@neurozoo/datasets';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { architectures, inspectAutoencoder, undercompleteAutoencoder } from '../src/index.js';

beforeAll(() => initBackend({ backend: 'wasm' }));

/** The first `n` MNIST images of a split as the CLI hands them over ([n, 28, 28, 1]). */
function slice(split: ReturnType<typeof loadMnist>['train'], n: number, name = 'mnist'): TrainingData {
  return { name, x: split.x.subarray(0, n * 784), xShape: [n, 28, 28, 1], y: split.y.subarray(0, n), numClasses: 10 };
}
const tmp = () => mkdtempSync(join(tmpdir(), 'nz-ae-'));
const pngSize = (file: string) => {
  const png = PNG.sync.read(readFileSync(file));
  return [png.width, png.height];
};

describe('architectures for neurozoo train / inspect', () => {
  it('offers the four CLI names on mnist and fashion-mnist', () => {
    expect(architectures.map((a) => a.name)).toEqual(['autoencoder', 'deep-autoencoder', 'conv-autoencoder', 'denoising-autoencoder']);
    for (const a of architectures) expect(a.datasets).toEqual(['mnist', 'fashion-mnist']);
  });

  // Test SSE per image after 1 epoch on 600 images (seed 0, wasm), measured: autoencoder 145.0,
  // conv-autoencoder 174.4, denoising-autoencoder 75.0. A constant gray (0.5) output scores 181.9 on
  // these 200 test images, an untrained sigmoid output about that; the mean image 50.2.
  const maxSse: Record<string, number> = { autoencoder: 160, 'conv-autoencoder': 179, 'denoising-autoencoder': 90 };
  for (const name of ['autoencoder', 'conv-autoencoder', 'denoising-autoencoder']) {
    it(`${name}: trains, reports SSE (and PCA), writes encoder/decoder graphs, scores in onnxruntime, draws`, async () => {
      const { train, test } = loadMnist();
      const arch = architectures.find((a) => a.name === name)!;
      const trained = await arch.train({
        train: slice(train, 600), test: slice(test, 200), epochs: 1, batchSize: 64, seed: 0, verbose: false,
      });
      console.log(name, JSON.stringify(trained.testMetrics));
      expect(trained.testMetrics.sse).toBeLessThan(maxSse[name]);
      expect(trained.testMetrics.mse).toBeCloseTo(trained.testMetrics.sse / 784, 6);
      // PCA with as many components as the code (64) on the 600 images: measured 8.46
      if (name !== 'conv-autoencoder') expect(trained.testMetrics.pcaSse).toBeLessThan(10);
      expect(Object.keys(trained.files ?? {})).toEqual(['encoder.onnx', 'decoder.onnx']);
      const { exportOnnx } = await import('@neurozoo/core');
      const metrics = await trained.evaluateOnnx!(await exportOnnx(trained.model));
      expect(metrics.sse as number).toBeCloseTo(trained.testMetrics.sse, 3);
      expect(metrics.maxAbsErrorVsTfjs as number).toBeLessThan(1e-4);
      expect(metrics.encoderMaxAbsError as number).toBeLessThan(1e-4);
      expect(metrics.decoderMaxAbsError as number).toBeLessThan(1e-4);
      expect(trained.metadata['neurozoo.arch']).toBe(name);
      const files = await arch.inspect!({ model: trained.model, test: slice(test, 40), outDir: tmp() });
      expect(files.map((f) => f.split('/').pop())).toEqual(['reconstructions.png']);
      expect(pngSize(files[0])).toEqual([8 * 30 + 2, 4 * 2 * 30 + 2]);
      tf.dispose(trained.sampleInputs);
    });
  }

  it('inspect draws a 2-D code scatter when the code has 2 dimensions', async () => {
    const { test } = loadMnist();
    const { model } = undercompleteAutoencoder({ inputSize: 784, code: 2 });
    const flat: TrainingData = { ...slice(test, 300), xShape: [300, 784] };
    const files = await inspectAutoencoder({ model, test: flat, outDir: tmp() }, 8);
    expect(files.map((f) => f.split('/').pop())).toEqual(['reconstructions.png', 'code-scatter.png']);
    expect(pngSize(files[1])).toEqual([512, 512]);
    expect(pngSize(files[0])).toEqual([8 * 30 + 2, 2 * 30 + 2]); // flat 784-vectors drawn as 28x28
  });
});
