/**
 * pipeline('classify' | 'encode' | 'sample') over a small DBN trained here (pretrained, then
 * fine-tuned) on two noisy binary patterns, against tfjs and the runtime classes.
 */
import { exportOnnx, initBackend, Rng, tf } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, DBN, exportDbnFeatures, exportDbnSampler, fineTune } from '../src/index.js';
import { OnnxGibbsSampler, pipeline } from '../src/runtime/index.js';

beforeAll(() => initBackend({ backend: 'wasm' }));

/** `n` rows of 20 bits: class 0 lights the first half, class 1 the second, with 10% of the bits flipped. */
function patterns(n: number, seed: number): { x: Float32Array; y: Int32Array } {
  const rng = new Rng(seed);
  const y = Int32Array.from({ length: n }, () => (rng.next() < 0.5 ? 0 : 1));
  const x = new Float32Array(n * 20);
  y.forEach((c, i) => {
    for (let j = 0; j < 20; j++) x[i * 20 + j] = Number((j < 10) === (c === 0)) ^ Number(rng.next() < 0.1);
  });
  return { x, y };
}

describe('pipeline over exported rbm-dbn graphs', () => {
  const train = patterns(400, 1);
  const held = patterns(100, 2);
  let dbn: DBN;
  let classifier: tf.LayersModel;
  beforeAll(async () => {
    dbn = new DBN({ sizes: [20, 12, 6], seed: 1 });
    await dbn.pretrain(train.x, { epochs: 5, batchSize: 20, verbose: false });
    classifier = dbn.classifier(2, 1);
    await fineTune(classifier, train.x, train.y, 2, { epochs: 5, batchSize: 20, verbose: false });
  }, 300_000);

  it("'classify' gives the fine-tuned DBN's classes with the labels in its metadata", async () => {
    const tfAccuracy = accuracy(classifier, held.x, held.y);
    expect(tfAccuracy).toBeGreaterThan(0.95); // measured 1.0: the patterns are far apart
    const bytes = await exportOnnx(classifier, { metadata: { 'neurozoo.family': 'rbm-dbn', 'neurozoo.arch': 'dbn', 'neurozoo.classes': '["left","right"]' } });
    const classify = await pipeline('classify', bytes, { device: 'cpu' });
    expect([classify.family, classify.handler, classify.device]).toEqual(['rbm-dbn', 'OnnxClassifier', 'cpu']);
    const rows = await classify(held.x);
    const want = tf.tidy(() => (classifier.predict(tf.tensor2d(held.x, [100, 20])) as tf.Tensor).argMax(-1).dataSync());
    expect(rows.map((r) => r.classId)).toEqual(Array.from(want));
    expect(rows.map((r) => r.label)).toEqual(Array.from(want, (c) => ['left', 'right'][c]));
    await classify.dispose();
  });

  it("'encode' gives the DBN's top-layer features as tfjs computes them", async () => {
    const encode = await pipeline('encode', await exportDbnFeatures(dbn), { device: 'cpu' });
    expect(encode.handler).toBe('OnnxFeatureExtractor');
    const { data, dims } = await encode(held.x);
    expect(dims).toEqual([100, 6]);
    const features = dbn.featureModel();
    const want = tf.tidy(() => (features.predict(tf.tensor2d(held.x, [100, 20])) as tf.Tensor).dataSync());
    features.dispose();
    want.forEach((v, i) => expect(Math.abs(v - data[i])).toBeLessThan(1e-5));
    await expect(encode(held.x.subarray(0, 30))).rejects.toThrow('Expected rows of 20 values, got 30 values');
    await encode.dispose();
  });

  it("'sample' runs the seeded Gibbs chains of OnnxGibbsSampler; the sampler does not classify", async () => {
    const bytes = exportDbnSampler(dbn);
    const sample = await pipeline('sample', bytes, { device: 'cpu' });
    expect([sample.handler, sample.device]).toEqual(['OnnxGibbsSampler', 'cpu']);
    const samples = await sample({ n: 8, steps: 50, seed: 3 });
    const direct = await OnnxGibbsSampler.load(bytes, { devices: ['cpu'] });
    const want = await direct.sample({ n: 8, steps: 50, seed: 3 });
    expect(Array.from(samples.images)).toEqual(Array.from(want.images));
    expect(samples.images).toHaveLength(8 * 20);
    await direct.release();
    await sample.dispose();
    await expect(pipeline('classify', bytes)).rejects.toThrow(
      `Cannot run task 'classify' on the model buffer (${bytes.length} bytes) (family 'rbm-dbn'): '@neurozoo/rbm-dbn/runtime' runs 'sample' on this model.`,
    );
  });
});
