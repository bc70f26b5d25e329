import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, tf } from '@neurozoo/core';
import { installPacked, installRuntime, trainingPackages } from '@neurozoo/core/testing';
import { describe, expect, it } from 'vitest';
import { MLPClassifier } from '../src/index.js';

const packages = fileURLToPath(new URL('../../', import.meta.url));
const packed = ['core', 'perceptron'].map((p) => join(packages, p));
const XOR = [[0, 0], [0, 1], [1, 0], [1, 1]];

// A browser app or wasm server: the family alone, runtime entry only.
const RUNTIME_SCRIPT = `
import { OnnxClassifier } from '@neurozoo/perceptron/runtime';
const clf = await OnnxClassifier.load('model.onnx');
const { classes, probabilities } = await clf.classify(Float32Array.from(${JSON.stringify(XOR.flat())}), 4);
console.log(JSON.stringify({ classes: Array.from(classes), probabilities: Array.from(probabilities), provider: clf.session.provider, fallbacks: clf.session.fallbacks }));
`;

// Training: the family plus the optional peers it trains and verifies with.
const TRAINING_SCRIPT = `
import { initBackend } from '@neurozoo/core';
import { MLPClassifier } from '@neurozoo/perceptron';
import { OnnxClassifier } from '@neurozoo/perceptron/runtime';
console.log('backend', await initBackend({ notice: (line) => console.log('notice', line) }));
const x = ${JSON.stringify(XOR)};
const clf = new MLPClassifier({ inputSize: 2, hidden: [8], classes: 2, activation: 'tanh', learningRate: 0.05, seed: 2 });
await clf.fit(x, [0, 1, 1, 0], { epochs: 300, batchSize: 4, seed: 2 });
const deployed = await OnnxClassifier.load(await clf.exportOnnx());
const { classes } = await deployed.classify(Float32Array.from(x.flat()), 4);
console.log(JSON.stringify({ tfjs: Array.from(clf.predict(x)), onnx: Array.from(classes), provider: deployed.session.provider }));
`;

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) as string);

describe('packed tarballs', () => {
  it('a runtime install of @neurozoo/perceptron holds no TensorFlow.js and runs the exported MLP on onnxruntime-web', async () => {
    await initBackend({ backend: 'cpu' });
    const clf = new MLPClassifier({ inputSize: 2, hidden: [6], classes: 2, seed: 3 });
    const expected = tf.tidy(() => (clf.model.predict(tf.tensor2d(XOR)) as tf.Tensor).arraySync() as number[][]);
    const project = installRuntime(packed[1], { 'model.onnx': await clf.exportOnnx() });

    const installed = project.installed();
    expect(trainingPackages(installed)).toEqual([]);
    expect(installed).toContain('onnxruntime-web@1.30.0');
    expect(installed).toContain('@neurozoo/perceptron@0.1.0');

    const result = lastJson(project.run('classify.mjs', RUNTIME_SCRIPT));
    expect(result.provider).toBe('wasm');
    expect(result.fallbacks.map((f: { device: string }) => f.device)).toEqual(['cuda', 'cpu']);
    expect(result.fallbacks[1].reason).toBe(
      "onnxruntime-node is not installed (`npm install onnxruntime-node` runs models natively on 'cpu' and 'cuda')",
    );
    const probabilities: number[] = result.probabilities;
    probabilities.forEach((p, i) => expect(Math.abs(p - expected[Math.floor(i / 2)][i % 2])).toBeLessThan(1e-6));
    expect(result.classes).toEqual(expected.map((row) => (row[1] > row[0] ? 1 : 0)));
    clf.model.dispose();
  }, 600_000);

  it('a minimal training install (@tensorflow/tfjs, onnxruntime-node) says why it trains on cpu, then trains, exports and deploys', () => {
    const project = installPacked(packed, { extra: ['@tensorflow/tfjs@4.22.0', 'onnxruntime-node@1.30.0'] });
    const training = trainingPackages(project.installed());
    expect(training).toEqual(expect.arrayContaining(['@tensorflow/tfjs@4.22.0', '@tensorflow/tfjs-core@4.22.0', 'onnxruntime-node@1.30.0']));
    expect(training.filter((p) => /tfjs-backend-wasm|@neurozoo\/native/.test(p))).toEqual([]);
    const stdout = project.run('train.mjs', TRAINING_SCRIPT);
    expect(stdout).toContain('backend cpu');
    expect(stdout).toMatch(
      /notice neurozoo: neither the native backend \(@neurozoo\/native is not installed \(.+\)\) nor wasm \(Could not load '@tensorflow\/tfjs-backend-wasm': Cannot find package '@tensorflow\/tfjs-backend-wasm' imported from \S+\) is available; training on cpu \(pure JS\), much slower\./,
    );
    const result = lastJson(stdout);
    expect(result.tfjs).toEqual([0, 1, 1, 0]);
    expect(result.onnx).toEqual([0, 1, 1, 0]);
    expect(result.provider).toBe('cpu');
  }, 600_000);
});
