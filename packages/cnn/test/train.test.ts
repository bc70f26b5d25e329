import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, exportOnnx, initBackend, tf, verifyOnnx } from '@neurozoo/core';
import { checkOnnx } from '@neurozoo/core/testing';
import { loadFashionMnist, loadMnist, take } from '@neurozoo/datasets';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, cnnArchitecture, lenet5, trainClassifier } from '../src/index.js';
import { ImageInputError, OnnxImageClassifier, pipeline, readMetadataProps } from '../src/runtime/index.js';

beforeAll(() => initBackend({ backend: 'wasm' }));

// CI stays fast: 2k training images, 1 epoch; the full runs are in the README.
const N = 2000;
const { train, test } = loadMnist();
const small = take(train, N);
const held = take(test, 1000);

describe('training on MNIST subsets (wasm backend, core fit loop)', () => {
  let trained: Awaited<ReturnType<typeof cnnArchitecture.train>>;

  it('the `cnn` architecture learns 2k digits in 1 epoch: held-out accuracy far above chance (10%)', async () => {
    trained = await cnnArchitecture.train({ train: small, test: held, epochs: 1, batchSize: 32, seed: 0, verbose: false });
    console.log(`cnn, 2k MNIST images, 1 epoch: held-out accuracy ${(100 * trained.testMetrics.accuracy).toFixed(1)}% (${trained.fit?.samplesPerSecond.toFixed(0)} samples/s)`);
    expect(trained.testMetrics.accuracy).toBeGreaterThan(0.7);
  });

  it('LeNet-5 trains on NHWC images with trainClassifier', async () => {
    const model = lenet5({}, 1);
    const result = await trainClassifier(model, { x: small.x, shape: small.xShape }, small.y, { epochs: 1, batchSize: 32, seed: 1, verbose: false });
    // mean cross-entropy over the first epoch, measured 1.006; guessing uniformly scores ln 10 = 2.303
    expect(result.history.loss[0]).toBeLessThan(1.3);
    expect(accuracy(model, { x: held.x, shape: held.xShape }, held.y)).toBeGreaterThan(0.6);
    expect(() => accuracy(model, { x: held.x.subarray(0, 100), shape: [1, 10, 10, 1] }, held.y.subarray(0, 1))).toThrow(
      "Model 'lenet5' takes images of [28,28,1] (784 values each); got 100 values for 1 labels (shape [1,10,10,1]).",
    );
  });

  it('exports with the preprocessing in metadata; the runtime classifies Uint8 gray, RGB and RGBA (ImageData) pixels like tfjs', async () => {
    const bytes = await exportOnnx(trained.model, { metadata: trained.metadata });
    checkOnnx(bytes);
    expect((await verifyOnnx(trained.model, bytes, trained.sampleInputs)).maxAbsError).toBeLessThan(1e-4);
    const meta = readMetadataProps(bytes);
    expect(JSON.parse(meta['neurozoo.preprocessing'])).toEqual({ height: 28, width: 28, channels: 1, mean: [0], std: [1], layout: 'flat', lightOnDark: true });

    const clf = await OnnxImageClassifier.load(bytes, { devices: ['cpu'] });
    expect(clf.provider).toBe('cpu');
    const n = 20;
    const gray = Array.from({ length: n }, (_, i) => ({ width: 28, height: 28, data: Uint8Array.from(held.x.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255)) }));
    const results = await clf.classify(gray);
    const want = tf.tidy(() => (trained.model.predict(tf.tensor2d(Float32Array.from(gray.flatMap((g) => Array.from(g.data, (v) => v / 255))), [n, 784])) as tf.Tensor).argMax(-1).dataSync());
    expect(results.map((r) => r.classId)).toEqual(Array.from(want));
    expect(results[0].label).toBe(String(results[0].classId));

    const rgb = gray.map((g) => ({ ...g, data: Uint8Array.from(Array.from(g.data).flatMap((v) => [v, v, v])) }));
    const rgba = gray.map((g) => ({ ...g, data: new Uint8ClampedArray(Array.from(g.data).flatMap((v) => [v, v, v, 255])) }));
    expect((await clf.classify(rgb)).map((r) => r.classId)).toEqual(Array.from(want));
    expect((await clf.classify(rgba)).map((r) => r.classId)).toEqual(Array.from(want));
    // Dark ink on white paper (how people draw) is inverted automatically for a light-on-dark model.
    const paper = gray.map((g) => ({ ...g, data: g.data.map((v) => 255 - v) }));
    expect((await clf.classify(paper)).map((r) => r.classId)).toEqual(Array.from(want));

    await expect(clf.classify({ width: 32, height: 32, data: new Uint8Array(1024) })).rejects.toThrow(
      new ImageInputError('image 0 is 32x32 pixels (width x height); the model takes 28x28. Resize it first.'),
    );
    await expect(clf.classify({ width: 32, height: 32, data: new Uint8Array(1024) })).rejects.toBeInstanceOf(DataError);
    await expect(clf.classify({ width: 28, height: 28, data: new Uint8Array(784 * 2) })).rejects.toThrow(/are not 28x28 pixels of 1 \(gray\), 3 \(RGB\) or 4 \(RGBA\) channels/);
    await clf.release();
    await expect(OnnxImageClassifier.load(await exportOnnx(lenet5({}, 0)))).rejects.toThrow(/no 'neurozoo.preprocessing' metadata/);
  });

  it("pipeline('classify') on the folder gives OnnxImageClassifier's classes, labels and probabilities", async () => {
    const bytes = await exportOnnx(trained.model, { metadata: trained.metadata });
    const dir = mkdtempSync(join(tmpdir(), 'nz-cnn-pipeline-'));
    writeFileSync(join(dir, 'model.onnx'), bytes);
    const classify = await pipeline('classify', dir, { device: ['cuda', 'cpu'] });
    expect([classify.family, classify.handler, classify.device, classify.metadata['neurozoo.arch']]).toEqual(['cnn', 'OnnxImageClassifier', 'cpu', 'cnn']);
    expect(classify.fallbacks.map((f) => f.device)).toEqual(['cuda']);
    const n = 200;
    const images = Array.from({ length: n }, (_, i) => ({ width: 28, height: 28, data: Uint8Array.from(held.x.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255)) }));
    const results = await classify(images);
    const direct = await OnnxImageClassifier.load(bytes, { devices: ['cpu'] });
    expect(results).toEqual(await direct.classify(images));
    // held-out accuracy of those classes; the model scored above 0.7 on 1000 test digits in tfjs
    expect(results.filter((r, i) => r.classId === held.y[i]).length / n).toBeGreaterThan(0.7);
    expect(results[0].label).toBe(JSON.parse(trained.metadata['neurozoo.classes'])[results[0].classId]);
    const paper = images.slice(0, 8).map((g) => ({ ...g, data: g.data.map((v) => 255 - v) }));
    expect(await classify(paper, { invert: false })).toEqual(await direct.classify(paper, { invert: false }));
    expect((await classify(paper[0]))[0].classId).toBe(results[0].classId);
    await expect(classify(new Float32Array(784))).rejects.toThrow(
      new ImageInputError('A cnn model classifies images ({ data, width, height }, e.g. ImageData); got a Float32Array or another value.'),
    );
    await direct.release();
    await classify.dispose();
  });

  it('inspect writes PNGs of the first-layer kernels and of the feature maps for one image', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'nz-cnn-inspect-'));
    const files = await cnnArchitecture.inspect!({ model: trained.model, test: held, outDir });
    expect(files.map((f) => f.slice(outDir.length + 1))).toEqual(['kernels.png', 'input.png', 'maps-conv1.png', 'maps-pool1.png', 'maps-conv2.png', 'maps-pool2.png']);
    const kernels = PNG.sync.read(readFileSync(files[0]));
    expect([kernels.width, kernels.height]).toEqual([4 * (5 * 16 + 2) + 2, 4 * (5 * 16 + 2) + 2]); // 16 kernels of 5x5 in a 4x4 grid, 2-pixel gaps
    expect(PNG.sync.read(readFileSync(files[1])).width).toBe(28 * 8 + 4);
  });

  it('Fashion-MNIST trains with the same architecture', async () => {
    const fashion = loadFashionMnist(); // installed by scripts/system-deps.sh (test:all's first step); missing data fails
    const r = await cnnArchitecture.train({ train: take(fashion.train, N), test: take(fashion.test, 1000), epochs: 1, batchSize: 32, seed: 0, verbose: false });
    expect(r.testMetrics.accuracy).toBeGreaterThan(0.55);
    expect(JSON.parse(r.metadata['neurozoo.classes'])).toContain('Sneaker');
    tf.dispose(r.sampleInputs);
  });
});
