/**
 * The rbm-dbn family in the harness (issue #9): the Gibbs-step graph (`exportGibbsStep`, noise
 * as inputs) of a Gaussian RBM and, through the DBN sampler (`exportDbnSampler`), of a
 * Bernoulli RBM followed by the top-down pass to an image; and the DBN classifier, whose
 * RbmHidden layers are what `exportRbmTransform` exports alone (the same converter: MatMul +
 * Add + Sigmoid), and what `neurozoo train rbm` exports with a softmax head. The same noise in
 * gives the same samples as tfjs: `h_sample` and Bernoulli `v_sample` must match exactly.
 */
import { Rng, tf } from '@neurozoo/core';
import { loadMnist } from '@neurozoo/datasets';
import { DBN, exportDbnSampler, exportGibbsStep, normalNoise, RBM, topDown, transformRows } from '@neurozoo/rbm-dbn';
import { registerHarnessModel } from '../registry.js';

/**
 * Bernoulli samples are [u < p]: a step at u = p. onnxruntime's p differs from tfjs's by ~1e-7
 * (float32 MatMul and Sigmoid in another order), so a u within that of p could flip a sample
 * without either being wrong. Noise closer than `margin` (1e-4, 1000x that error) to its
 * probability is moved `margin` away (to the side where it stays in [0, 1)); with uniform noise
 * that touches about 2e-4 of the values. Returns the adjusted noise and how many moved.
 */
function awayFrom(noise: tf.Tensor2D, prob: tf.Tensor2D, margin = 1e-4): { noise: tf.Tensor2D; moved: number } {
  const u = noise.dataSync().slice() as Float32Array;
  const p = prob.dataSync();
  let moved = 0;
  for (let i = 0; i < u.length; i++) {
    if (Math.abs(u[i] - p[i]) >= margin) continue;
    u[i] = p[i] + margin < 1 ? p[i] + margin : p[i] - margin;
    moved++;
  }
  return { noise: tf.tensor2d(u, noise.shape), moved };
}

/**
 * Inputs and tfjs outputs of one Gibbs step of `rbm` from `v` with seeded noise (the samples'
 * noise kept `margin` from the probabilities), and `down` RBMs for the DBN sampler's `image`.
 */
function gibbsGolden(rbm: RBM, v: tf.Tensor2D, seed: number, down: RBM[] = []) {
  const [uh, uv] = rbm.gibbsNoise(v.shape[0], new Rng(seed));
  const hProb = rbm.hiddenProb(v);
  const h = awayFrom(uh, hProb);
  const first = rbm.gibbsStep(v, h.noise, uv);
  const bernoulli = rbm.visibleType === 'bernoulli';
  const nv = bernoulli ? awayFrom(uv, first.vProb) : { noise: uv.clone(), moved: 0 };
  const step = rbm.gibbsStep(v, h.noise, nv.noise);
  if (h.moved + nv.moved > 0) console.log(`[harness] Gibbs noise moved off the sampling step: ${h.moved} hidden, ${nv.moved} visible values`);
  tf.dispose([uh, uv, hProb, first.hProb, first.h, first.vProb, first.v]);
  const outputs: Record<string, tf.Tensor> = { h_prob: step.hProb, h_sample: step.h, v_prob: step.vProb, v_sample: step.v };
  if (down.length > 0) outputs.image = topDown(down, step.vProb.clone());
  return { inputs: { v, noise_h: h.noise, noise_v: nv.noise }, outputs };
}

/** Sigmoid probabilities: float32 MatMul (784 terms) + Sigmoid, ~1e-7 apart; the samples exactly equal. */
const BERNOULLI_TOLERANCE = { h_prob: 1e-4, h_sample: 0, v_prob: 1e-4, v_sample: 0 };

let trained: Promise<DBN> | null = null;
/**
 * A DBN 784-64-32 pretrained for one CD-1 epoch on 1000 MNIST training images (a few seconds),
 * so probabilities spread over (0, 1) instead of the 0.5 of untrained RBMs. Made once.
 */
function mnistDbn(): Promise<DBN> {
  trained ??= (async () => {
    const dbn = new DBN({ sizes: [784, 64, 32], seed: 1 });
    await dbn.pretrain(loadMnist().train.x.subarray(0, 1000 * 784), { epochs: 1, batchSize: 50, seed: 1 });
    return dbn;
  })();
  return trained;
}
const testImages = () => tf.tensor2d(loadMnist().test.x.subarray(0, 4 * 784), [4, 784]);

// Gaussian visible units: v_sample = v_prob + standard normal noise_v (an Add, no Less/Cast).
registerHarnessModel({
  name: 'rbm-gaussian-gibbs-step',
  graph: () => {
    const rbm = new RBM({ visible: 20, hidden: 12, visibleType: 'gaussian', seed: 12, initStd: 0.3 });
    const v = normalNoise([3, 20], new Rng(13));
    return { onnx: exportGibbsStep(rbm), ...gibbsGolden(rbm, v, 14), dispose: () => rbm.dispose() };
  },
  tolerance: { h_prob: 1e-4, h_sample: 0, v_prob: 1e-4, v_sample: 1e-4 },
});

// exportDbnSampler: the top RBM (64-32) Gibbs step from the top-level features of 4 test images,
// then `image` = the mean-field top-down pass of v_prob through the first RBM (784 sigmoids).
registerHarnessModel({
  name: 'dbn-gibbs-sampler',
  graph: async () => {
    const dbn = await mnistDbn();
    const features = transformRows(dbn.rbms[0], loadMnist().test.x.subarray(0, 4 * 784));
    return { onnx: exportDbnSampler(dbn), ...gibbsGolden(dbn.rbms[1], tf.tensor2d(features, [4, 64]), 15, dbn.rbms.slice(0, 1)) };
  },
  tolerance: { ...BERNOULLI_TOLERANCE, image: 1e-4 },
});

// The DBN classifier: the RBMs' recognition layers (RbmHidden) and a softmax head, as `neurozoo
// train dbn` exports it (not fine-tuned here: parity does not need it).
registerHarnessModel({
  name: 'dbn-classifier',
  build: async () => (await mnistDbn()).classifier(10, 16),
  inputs: () => [testImages()],
});
