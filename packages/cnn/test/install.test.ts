import { fileURLToPath } from 'node:url';
import { initBackend, tf } from '@neurozoo/core';
import { installRuntime, randomizeWeights, trainingPackages } from '@neurozoo/core/testing';
import { describe, expect, it } from 'vitest';
import { exportCnnOnnx, lenet5 } from '../src/index.js';

const SCRIPT = (images: number[][]) => `
import { OnnxImageClassifier } from '@neurozoo/cnn/runtime';
const clf = await OnnxImageClassifier.load('model.onnx');
const images = ${JSON.stringify(images)}.map((pixels) => ({ width: 28, height: 28, data: Uint8Array.from(pixels) }));
const results = await clf.classify(images);
console.log(JSON.stringify({ classIds: results.map((r) => r.classId), provider: clf.provider }));
`;

describe('packed tarballs', () => {
  it('a runtime install of @neurozoo/cnn holds no TensorFlow.js and classifies pixels as tfjs does', async () => {
    await initBackend({ backend: 'cpu' });
    const model = lenet5({}, 0);
    randomizeWeights(model, 4);
    const images = Array.from({ length: 6 }, (_, k) => Array.from({ length: 784 }, (_, i) => ((i * (k + 3)) % 97) * 2));
    const expected = tf.tidy(() =>
      Array.from((model.predict(tf.tensor4d(images.flat().map((v) => v / 255), [6, 28, 28, 1])) as tf.Tensor).argMax(-1).dataSync()),
    );
    const project = installRuntime(fileURLToPath(new URL('..', import.meta.url)), { 'model.onnx': await exportCnnOnnx(model) });
    expect(trainingPackages(project.installed())).toEqual([]);
    expect(project.installed()).toContain('onnxruntime-web@1.30.0');
    const result = JSON.parse(project.run('classify.mjs', SCRIPT(images)).trim());
    expect(result.provider).toBe('wasm');
    expect(result.classIds).toEqual(expected);
    model.dispose();
  }, 600_000);
});
