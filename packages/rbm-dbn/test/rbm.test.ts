import { initBackend, OptionError, Rng, tf } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitRbm, RBM, transformRows, uniformNoise } from '../src/index.js';
import { mnistSubset } from './data.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('Bernoulli RBM', () => {
  it('CD-1 on 2k MNIST images: reconstruction error falls, PLL rises, free-energy gap is monitored', async () => {
    const { x, testX } = mnistSubset();
    const rbm = new RBM({ visible: 784, hidden: 64, seed: 1 });
    const r = await rbm.fit(x, { epochs: 3, learningRate: 0.05, validation: testX, seed: 1 });
    const errors = r.history.map((h) => h.reconstructionError);
    expect(errors[0]).toBeLessThan(r.initial.reconstructionError);
    expect(errors[2]).toBeLessThan(errors[0]);
    expect(errors[2]).toBeLessThan(0.07);
    expect(r.history[2].pseudoLogLikelihood).toBeGreaterThan(r.initial.pseudoLogLikelihood as number);
    for (const h of r.history) {
      expect(Number.isFinite(h.freeEnergyGap)).toBe(true);
      expect(Math.abs(h.validationReconstructionError as number - h.reconstructionError)).toBeLessThan(0.02);
    }
    const features = rbm.transform(testX.subarray(0, 10 * 784));
    expect(features.shape).toEqual([10, 64]);
    const [lo, hi] = [features.min().dataSync()[0], features.max().dataSync()[0]];
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(rbm.reconstruct(testX.subarray(0, 10 * 784)).shape).toEqual([10, 784]);
    rbm.dispose();
  });

  it('fitRbm is what rbm.fit runs: the same seeds give the same history and weights', async () => {
    const { x } = mnistSubset(300);
    const train = async (how: 'fit' | 'fitRbm') => {
      const rbm = new RBM({ visible: 784, hidden: 16, seed: 4 });
      const options = { epochs: 2, learningRate: 0.05, seed: 4 };
      const r = how === 'fit' ? await rbm.fit(x, options) : await fitRbm(rbm, x, options);
      const weights = Array.from(rbm.W.dataSync());
      rbm.dispose();
      return { errors: r.history.map((h) => h.reconstructionError), weights };
    };
    const [a, b] = [await train('fit'), await train('fitRbm')];
    expect(b.errors).toEqual(a.errors);
    expect(b.errors[1]).toBeLessThan(b.errors[0]);
    expect(b.weights).toEqual(a.weights);
  });

  it('transformRows: rbm.transform in chunks, rows in order', () => {
    const { testX } = mnistSubset(10, 7);
    const rbm = new RBM({ visible: 784, hidden: 12, initStd: 0.1, seed: 2 });
    const whole = rbm.transform(testX);
    const chunked = transformRows(rbm, testX, 3); // chunks of 3, 3 and 1 rows
    expect(chunked.length).toBe(7 * 12);
    Array.from(whole.dataSync()).forEach((v, i) => expect(chunked[i]).toBeCloseTo(v, 6));
    whole.dispose();
    rbm.dispose();
  });

  it('CD-k and PCD train too', async () => {
    const { x } = mnistSubset(1000);
    for (const opts of [{ method: 'cd' as const, k: 3 }, { method: 'pcd' as const, k: 1 }]) {
      const rbm = new RBM({ visible: 784, hidden: 32 });
      const r = await rbm.fit(x, { epochs: 2, learningRate: 0.05, ...opts });
      expect(r.history[1].reconstructionError).toBeLessThan(r.initial.reconstructionError);
      rbm.dispose();
    }
  });

  it('a sparsity target lowers the mean hidden activation', async () => {
    const { x } = mnistSubset(1000);
    const mean = async (sparsityTarget?: number) => {
      const rbm = new RBM({ visible: 784, hidden: 32 });
      const r = await rbm.fit(x, { epochs: 3, batchSize: 20, learningRate: 0.05, ...(sparsityTarget ? { sparsityTarget, sparsityCost: 1 } : {}) });
      rbm.dispose();
      return r.history[2].meanHiddenActivation;
    };
    const [sparse, dense] = [await mean(0.05), await mean()];
    expect(sparse).toBeLessThan(dense - 0.1);
  });

  it('Gibbs sampling from noise and from data is seeded and stays in [0, 1]', () => {
    const rbm = new RBM({ visible: 20, hidden: 8, initStd: 0.5 });
    const a = rbm.sample({ n: 4, steps: 5, seed: 3 });
    const b = rbm.sample({ n: 4, steps: 5, seed: 3 });
    expect(a.shape).toEqual([4, 20]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(a.min().dataSync()[0]).toBeGreaterThanOrEqual(0);
    const fromData = rbm.sample({ from: new Float32Array(40).fill(1), steps: 2 });
    expect(fromData.shape).toEqual([2, 20]);
    tf.dispose([a, b, fromData]);
    rbm.dispose();
  });

  it('gibbsStep samples with the noise it is given', () => {
    const rbm = new RBM({ visible: 6, hidden: 4, initStd: 1 });
    const v = tf.ones([3, 6]) as tf.Tensor2D;
    const zeros = tf.zeros([3, 4]) as tf.Tensor2D;
    const ones = tf.ones([3, 6]) as tf.Tensor2D;
    const step = rbm.gibbsStep(v, zeros, ones); // u = 0 < p: every h is 1; u = 1 > p: every v is 0
    expect(Array.from(step.h.dataSync())).toEqual(new Array(12).fill(1));
    expect(Array.from(step.v.dataSync())).toEqual(new Array(18).fill(0));
    const noise = uniformNoise([2, 3], new Rng(1));
    expect(noise.shape).toEqual([2, 3]);
    rbm.dispose();
  });

  it('rejects bad options with clear messages', async () => {
    expect(() => new RBM({ visible: 0, hidden: 3 })).toThrow(OptionError);
    const rbm = new RBM({ visible: 4, hidden: 2 });
    await expect(rbm.fit(new Float32Array(400), { epochs: 1, bogus: 1 } as never)).rejects.toThrow('Unknown RBM fit option(s): bogus');
    await expect(rbm.fit(new Float32Array(400), { method: 'xx' as never })).rejects.toThrow("method must be 'cd' or 'pcd'");
    await expect(rbm.fit(new Float32Array(8), {})).rejects.toThrow('fit needs at least batchSize (100) rows of 4 values, got 2.');
    rbm.dispose();
  });
});

describe('Gaussian-Bernoulli RBM', () => {
  it('learns standardised real-valued data (reconstruction error falls, free energy is finite)', async () => {
    const rng = new Rng(5);
    // Two real-valued clusters in 16 dimensions, standardised.
    const n = 600;
    const x = new Float32Array(n * 16);
    for (let i = 0; i < n; i++) for (let j = 0; j < 16; j++) x[i * 16 + j] = (i % 2 === 0 ? (j < 8 ? 1 : -1) : j < 8 ? -1 : 1) + 0.3 * (rng.next() - 0.5);
    const rbm = new RBM({ visible: 16, hidden: 8, visibleType: 'gaussian', seed: 2 });
    const r = await rbm.fit(x, { epochs: 15, batchSize: 50, learningRate: 0.01, validation: x.subarray(0, 1600) });
    expect(r.history[14].reconstructionError).toBeLessThan(0.5 * r.initial.reconstructionError);
    expect(r.history[14].pseudoLogLikelihood).toBeUndefined();
    expect(Number.isFinite(r.history[14].freeEnergyGap)).toBe(true);
    const s = rbm.sample({ n: 3, steps: 10 });
    expect(s.shape).toEqual([3, 16]);
    s.dispose();
    rbm.dispose();
  });
});

describe('seeding', () => {
  it('the same seeds give the same weights (also seed 0, which tfjs would treat as no seed)', async () => {
    const x = Float32Array.from({ length: 300 * 50 }, (_, i) => ((i * 7919) % 13) / 13);
    const run = async () => {
      const rbm = new RBM({ visible: 50, hidden: 10, seed: 0 });
      await rbm.fit(x, { epochs: 2, batchSize: 30, seed: 0 });
      const w = Array.from(rbm.W.dataSync());
      rbm.dispose();
      return w;
    };
    expect(await run()).toEqual(await run());
  });
});
