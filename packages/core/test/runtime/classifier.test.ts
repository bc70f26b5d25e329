import { beforeAll, describe, expect, it } from 'vitest';
import { BackendError, ShapeError } from '../../src/errors.js';
import { exportOnnx } from '../../src/onnx/export.js';
import { ClassifierModel, OnnxModel } from '../../src/runtime/classifier.js';
import * as nodeRt from '../../src/runtime/node.js';
import * as webRt from '../../src/runtime/web.js';
import { tf } from '../../src/tf.js';
import { smallModel, useWasm } from '../helpers.js';

let bytes: Uint8Array;
let x: Float32Array;
let expected: Float32Array;

beforeAll(async () => {
  await useWasm();
  const model = smallModel(3, 8);
  bytes = await exportOnnx(model);
  x = tf.randomNormal([5, 8], 0, 1, 'float32', 7).dataSync() as Float32Array;
  expected = tf.tidy(() => (model.predict(tf.tensor2d(x, [5, 8])) as tf.Tensor).dataSync() as Float32Array);
});

describe.each([
  ['node', nodeRt, 'cpu'],
  ['web', webRt, 'wasm'],
] as const)('OnnxClassifier (%s entry) on an exported tfjs MLP', (_entry, rt, device) => {
  it('classifies rows as tfjs predicts them', async () => {
    const clf = await rt.OnnxClassifier.load(bytes, { devices: [device] });
    expect(clf.inputSize).toBe(8);
    expect(clf.provider).toBe(device);
    const { classes, probabilities, provider } = await clf.classify(x, 5);
    expect(provider).toBe(device);
    expect(probabilities.length).toBe(10);
    for (let i = 0; i < expected.length; i++) expect(Math.abs(probabilities[i] - expected[i])).toBeLessThan(1e-5);
    expect(Array.from(classes)).toEqual(Array.from({ length: 5 }, (_, r) => (expected[2 * r + 1] > expected[2 * r] ? 1 : 0)));
    await clf.release();
    await expect(clf.classify(x, 5)).rejects.toThrow(new BackendError('This session was released; create a new one with createSession()'));
  });

  it('rejects features that do not split into the given rows, and rows of the wrong width', async () => {
    const clf = await rt.OnnxClassifier.load(bytes, { devices: [device] });
    await expect(clf.classify(x, 3)).rejects.toThrow(new ShapeError('Expected 3 samples of equal width, got 40 values'));
    await expect(clf.classify(x.subarray(0, 10), 2)).rejects.toThrow(ShapeError);
    await clf.release();
  });

  it('is a ClassifierModel over an OnnxModel: any session the entry opens classifies the same', async () => {
    const loaded = await rt.OnnxClassifier.load(bytes, { devices: [device] });
    expect(loaded).toBeInstanceOf(ClassifierModel);
    expect(loaded).toBeInstanceOf(OnnxModel);
    await loaded.release();
    const session = await rt.createSession(bytes, { devices: [device] });
    const clf = new ClassifierModel(session);
    expect(clf.session).toBe(session);
    expect(clf.provider).toBe(device);
    const { probabilities } = await clf.classify(x, 5);
    for (let i = 0; i < expected.length; i++) expect(Math.abs(probabilities[i] - expected[i])).toBeLessThan(1e-5);
    await new OnnxModel(session).release();
    await expect(clf.classify(x, 5)).rejects.toThrow(new BackendError('This session was released; create a new one with createSession()'));
  });
});
