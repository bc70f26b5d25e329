import { initBackend, tf } from '@neurozoo/core';
import { checkOnnx, expectOnnxParity, randomizeWeights } from '@neurozoo/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGpt, exportDecodeStep, greedyGenerateTf } from '../src/index.js';
import { OnnxLanguageModel } from '../src/runtime/index.js';
import { createSession } from '@neurozoo/core/runtime';

beforeAll(async () => {
  await initBackend();
});

const lastLogits = (model: tf.LayersModel, ids: number[]) =>
  tf.tidy(() => (model.predict(tf.tensor2d(ids, [1, ids.length])) as tf.Tensor).slice([0, ids.length - 1, 0], [1, 1, -1]).dataSync() as Float32Array);

/** Largest element-wise difference; empty or mismatched outputs fail (Math.max of nothing is -Infinity, which would pass any bound). */
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBeGreaterThan(0);
  expect(a.length).toBe(b.length);
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
};

describe.each([
  ['pre-LN GELU', { normFirst: true, activation: 'gelu' as const }],
  ['post-LN ReLU', { normFirst: false, activation: 'relu' as const }],
])('GPT %s', (_name, variant) => {
  const context = 8;
  const model = buildGpt({ vocabSize: 13, contextLength: context, dim: 16, heads: 2, layers: 2, ffDim: 32, ...variant }, 1);
  randomizeWeights(model, 7);

  it('full-sequence graph matches tfjs (batch 1 and 2, lengths 1, 5, 8)', async () => {
    for (const [b, t] of [[1, 1], [2, 5], [2, 8]]) {
      const ids = tf.tensor2d(Array.from({ length: b * t }, (_, i) => (i * 5 + 1) % 13), [b, t]);
      const { maxAbsError } = await expectOnnxParity(model, ids, { check: t === 5 });
      expect(maxAbsError).toBeLessThan(1e-4);
      ids.dispose();
    }
  });

  it('decode step with a KV cache gives the logits tfjs gives on the whole prefix', async () => {
    const step = exportDecodeStep(model);
    checkOnnx(step);
    const lm = await OnnxLanguageModel.load({ step }, { contextLength: context, devices: ['cpu'] });
    const prompt = [3, 1, 4, 1, 5];
    const gen = await lm.generate(prompt, { maxTokens: 3 });
    expect(gen.cached).toBe(true);
    // Greedy continuation: each step's argmax must be tfjs's argmax on the full prefix.
    for (let n = prompt.length; n < gen.ids.length; n++) {
      const ref = lastLogits(model, gen.ids.slice(0, n));
      expect(ref.indexOf(Math.max(...ref))).toBe(gen.ids[n]);
    }
    await lm.release();
  });

  it('greedy tokens in onnxruntime (with and without cache) equal tfjs greedy tokens, across window shifts', async () => {
    const { exportOnnx } = await import('@neurozoo/core');
    const lm = await OnnxLanguageModel.load({ step: exportDecodeStep(model), full: await exportOnnx(model) }, { contextLength: context, devices: ['cpu'] });
    const prompt = [2, 7, 1];
    const reference = greedyGenerateTf(model, prompt, 20);
    const cached = await lm.generate(prompt, { maxTokens: 20 });
    const uncached = await lm.generate(prompt, { maxTokens: 20, cache: false });
    expect(cached.ids).toEqual(reference);
    expect(uncached.ids).toEqual(reference);
    await lm.release();
  });
});

describe('decode-step logits', () => {
  it('prefill and single steps match tfjs within 1e-4', async () => {
    const model = buildGpt({ vocabSize: 11, contextLength: 16, dim: 12, heads: 3, layers: 1, ffDim: 20 }, 2);
    randomizeWeights(model, 4);
    const session = await createSession(exportDecodeStep(model), { devices: ['cpu'] });
    const empty = { data: new Float32Array(0), dims: [1, 3, 0, 4] };
    const seq = [1, 2, 3, 4, 5, 6, 7];
    const first = await session.run({ ids: { data: Float32Array.from(seq.slice(0, 4)), dims: [1, 4] }, past_key_0: empty, past_value_0: empty });
    let worst = maxDiff((first.logits.data as Float32Array).subarray(3 * 11), lastLogits(model, seq.slice(0, 4)));
    let past = first;
    for (let n = 5; n <= seq.length; n++) {
      const out = await session.run({ ids: { data: Float32Array.from([seq[n - 1]]), dims: [1, 1] }, past_key_0: past.present_key_0 as never, past_value_0: past.present_value_0 as never });
      expect(out.present_key_0.dims).toEqual([1, 3, n, 4]);
      worst = Math.max(worst, maxDiff(out.logits.data as Float32Array, lastLogits(model, seq.slice(0, n))));
      past = out;
    }
    console.log(`decode-step max abs logit error vs tfjs: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
    await session.release();
  });
});
