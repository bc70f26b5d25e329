import { initBackend, Rng, tf } from '@neurozoo/core';
import { createSession } from '@neurozoo/core/runtime';
import { checkOnnx, expectOnnxParity } from '@neurozoo/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { DBN, exportDbnFeatures, exportDbnSampler, exportGibbsStep, normalNoise, RBM, topDown, uniformNoise } from '../src/index.js';
import { OnnxClassifier, OnnxFeatureExtractor, OnnxGibbsSampler } from '../src/runtime/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

/** An RBM with seeded random parameters (so parity does not pass on zeros). */
function randomRbm(visible: number, hidden: number, visibleType: 'bernoulli' | 'gaussian' = 'bernoulli', seed = 1): RBM {
  const rng = new Rng(seed);
  const r = (n: number, s: number) => Float32Array.from({ length: n }, () => (rng.next() - 0.5) * s);
  const rbm = new RBM({ visible, hidden, visibleType });
  rbm.W.assign(tf.tensor2d(r(visible * hidden, 4 / Math.sqrt(visible)), [visible, hidden]));
  rbm.vb.assign(tf.tensor1d(r(visible, 1)));
  rbm.hb.assign(tf.tensor1d(r(hidden, 1)));
  return rbm;
}

const ops = (bytes: Uint8Array) => new Set(Array.from(Buffer.from(bytes).toString('latin1').matchAll(/(MatMul|Add|Sigmoid|Less|Cast|RandomUniformLike|RandomUniform|Bernoulli)/g), (m) => m[1]));

describe('Gibbs-step graph', () => {
  for (const visibleType of ['bernoulli', 'gaussian'] as const) {
    it(`fed the same noise gives the same samples as tfjs (${visibleType}); the ONNX checker passes`, async () => {
      const rbm = randomRbm(30, 12, visibleType);
      const bytes = exportGibbsStep(rbm);
      checkOnnx(bytes);
      expect(ops(bytes).has('RandomUniformLike')).toBe(false);
      expect(ops(bytes).has('Bernoulli')).toBe(false);
      const rng = new Rng(7);
      const n = 64;
      const v = visibleType === 'bernoulli' ? (tf.cast(tf.less(uniformNoise([n, 30], rng), 0.5), 'float32') as tf.Tensor2D) : normalNoise([n, 30], rng);
      const [uh, uv] = rbm.gibbsNoise(n, rng);
      const expected = rbm.gibbsStep(v, uh, uv);
      const session = await createSession(bytes, { devices: ['cpu'] });
      const out = await session.run({
        v: { data: v.dataSync() as Float32Array, dims: [n, 30] },
        noise_h: { data: uh.dataSync() as Float32Array, dims: [n, 12] },
        noise_v: { data: uv.dataSync() as Float32Array, dims: [n, 30] },
      });
      expect(Array.from(out.h_sample.data as Float32Array)).toEqual(Array.from(expected.h.dataSync()));
      const maxDiff = (a: Float32Array, b: tf.Tensor) => Math.max(...Array.from(b.dataSync(), (x, i) => Math.abs(x - a[i])));
      expect(maxDiff(out.h_prob.data as Float32Array, expected.hProb)).toBeLessThan(1e-5);
      expect(maxDiff(out.v_prob.data as Float32Array, expected.vProb)).toBeLessThan(1e-5);
      if (visibleType === 'bernoulli') expect(Array.from(out.v_sample.data as Float32Array)).toEqual(Array.from(expected.v.dataSync()));
      else expect(maxDiff(out.v_sample.data as Float32Array, expected.v)).toBeLessThan(1e-5);
      await session.release();
      rbm.dispose();
    });
  }

  it('the DBN sampler adds the top-down image; the runtime sampler runs chains with onnxruntime only', async () => {
    const dbn = new DBN({ sizes: [20, 10, 6] });
    dbn.rbms.forEach((r, i) => {
      const src = randomRbm(r.visible, r.hidden, 'bernoulli', 10 + i);
      for (const [dst, from] of [[r.W, src.W], [r.vb, src.vb], [r.hb, src.hb]] as const) dst.assign(from);
      src.dispose();
    });
    const bytes = exportDbnSampler(dbn);
    checkOnnx(bytes);
    const rng = new Rng(3);
    const v = tf.cast(tf.less(uniformNoise([5, 10], rng), 0.5), 'float32') as tf.Tensor2D;
    const [uh, uv] = dbn.rbms[1].gibbsNoise(5, rng);
    const step = dbn.rbms[1].gibbsStep(v, uh, uv);
    const image = topDown([dbn.rbms[0]], step.vProb);
    const session = await createSession(bytes, { devices: ['cpu'] });
    const out = await session.run({ v: { data: v.dataSync() as Float32Array, dims: [5, 10] }, noise_h: { data: uh.dataSync() as Float32Array, dims: [5, 6] }, noise_v: { data: uv.dataSync() as Float32Array, dims: [5, 10] } });
    const img = out.image.data as Float32Array;
    image.dataSync().forEach((x, i) => expect(Math.abs(x - img[i])).toBeLessThan(1e-5));
    await session.release();

    const sampler = await OnnxGibbsSampler.load(bytes, { devices: ['cpu'] });
    expect([sampler.visible, sampler.hidden]).toEqual([10, 6]);
    const s = await sampler.sample({ n: 4, steps: 10, seed: 1 });
    expect(s.images.length).toBe(4 * 20);
    expect(s.vSample.every((x) => x === 0 || x === 1)).toBe(true);
    expect(s.provider).toBe('cpu');
    const again = await sampler.sample({ n: 4, steps: 10, seed: 1 });
    expect(Array.from(again.images)).toEqual(Array.from(s.images));
    await sampler.release();
    dbn.dispose();
  });
});

describe('exported transforms and classifiers', () => {
  it('RBM transform, DBN feature extractor and DBN classifier match tfjs; runtime classes agree', async () => {
    const rbm = randomRbm(784, 40);
    const x = tf.randomUniform([8, 784], 0, 1, 'float32', 1) as tf.Tensor2D;
    const transform = rbm.transformModel();
    const t = await expectOnnxParity(transform, x, { tol: 1e-5 });
    const extractor = await OnnxFeatureExtractor.load(t.bytes, { devices: ['cpu'] });
    const feats = await extractor.transform(x.dataSync() as Float32Array, 8);
    expect(feats.length).toBe(8 * 40);
    const want = tf.tidy(() => (transform.predict(x) as tf.Tensor).dataSync());
    feats.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
    await extractor.release();

    const dbn = new DBN({ sizes: [784, 32, 16], seed: 3 });
    dbn.rbms[0].W.assign(rbm.W.slice([0, 0], [784, 32]));
    const features = dbn.featureModel();
    await expectOnnxParity(features, x, { tol: 1e-5 });
    const dbnExtractor = await OnnxFeatureExtractor.load(await exportDbnFeatures(dbn), { devices: ['cpu'] });
    const dbnFeats = await dbnExtractor.transform(x.dataSync() as Float32Array, 8);
    const wantDbn = tf.tidy(() => (features.predict(x) as tf.Tensor).dataSync());
    expect(dbnFeats.length).toBe(8 * 16);
    wantDbn.forEach((v, i) => expect(Math.abs(v - dbnFeats[i])).toBeLessThan(1e-5));
    await dbnExtractor.release();
    const clf = dbn.classifier(10, 1);
    const c = await expectOnnxParity(clf, x, { tol: 1e-5 });
    const deployed = await OnnxClassifier.load(c.bytes, { devices: ['cpu'] });
    const { classes } = await deployed.classify(x.dataSync() as Float32Array, 8);
    expect(Array.from(classes)).toEqual(Array.from((clf.predict(x) as tf.Tensor).argMax(-1).dataSync()));
    await deployed.release();
    rbm.dispose();
    dbn.dispose();
  });
});
