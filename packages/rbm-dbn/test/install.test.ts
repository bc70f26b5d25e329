import { fileURLToPath } from 'node:url';
import { initBackend, tf } from '@neurozoo/core';
import { installRuntime, trainingPackages } from '@neurozoo/core/testing';
import { describe, expect, it } from 'vitest';
import { exportRbmTransform, RBM } from '../src/index.js';

const SCRIPT = (x: number[]) => `
import { OnnxFeatureExtractor } from '@neurozoo/rbm-dbn/runtime';
const rbm = await OnnxFeatureExtractor.load('rbm.onnx');
console.log(JSON.stringify({ features: Array.from(await rbm.transform(Float32Array.from(${JSON.stringify(x)}), 4)), provider: rbm.provider }));
`;

describe('packed tarballs', () => {
  it('a runtime install of @neurozoo/rbm-dbn holds no TensorFlow.js and extracts the features tfjs does', async () => {
    await initBackend({ backend: 'cpu' });
    const rbm = new RBM({ visible: 12, hidden: 5, seed: 3, initStd: 1 });
    const x = Array.from(tf.tidy(() => tf.randomUniform([4, 12], 0, 1, 'float32', 8).dataSync()));
    const project = installRuntime(fileURLToPath(new URL('..', import.meta.url)), { 'rbm.onnx': await exportRbmTransform(rbm) });
    expect(trainingPackages(project.installed())).toEqual([]);
    const result = JSON.parse(project.run('features.mjs', SCRIPT(x)).trim());
    expect(result.provider).toBe('wasm');
    const features = rbm.transform(Float32Array.from(x));
    const expected = features.dataSync();
    features.dispose();
    expect(result.features).toHaveLength(20);
    // initStd 1: features spread over (0, 1), not all near sigmoid(0)
    expect(Math.max(...expected) - Math.min(...expected)).toBeGreaterThan(0.5);
    result.features.forEach((v: number, i: number) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
  }, 600_000);
});
