import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportOnnx, initBackend, loadModel, saveModel, tf } from '@neurozoo/core';
import { randomizeWeights } from '@neurozoo/core/testing';
import { loadBrown } from '@neurozoo/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGpt, evaluateSequenceModel, evaluateText, generateText, gptArchitecture, greedyGenerateTf, inspectAttention, PaddingMask, TransformerBlock, TransformerDecoderBlock } from '../src/index.js';
import { pickToken, pipeline, seededRandom } from '../src/runtime/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nz-gpt-'));
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('save and load', () => {
  it('a model of every transformer layer reloads with the same outputs', async () => {
    const model = buildGpt({ vocabSize: 9, contextLength: 6, dim: 8, heads: 2, layers: 1, ffDim: 12, positional: 'sinusoidal' }, 3);
    const src = tf.input({ shape: [null], name: 'src' });
    const mask = new PaddingMask().apply(src) as tf.SymbolicTensor;
    const memory = model.layers[1].apply(src) as tf.SymbolicTensor;
    const y = new TransformerDecoderBlock({ numHeads: 2, ffDim: 8, normFirst: false }).apply([memory, memory, mask]) as tf.SymbolicTensor;
    const both = tf.model({ inputs: [model.inputs[0], src], outputs: [model.outputs[0], y] });
    randomizeWeights(both, 1);
    await saveModel(both, join(dir, 'saved'));
    const loaded = await loadModel(join(dir, 'saved'));
    const x = tf.tensor2d([[1, 2, 3, 0], [4, 5, 0, 0]]);
    const a = both.predict([x, x]) as tf.Tensor[];
    const b = loaded.predict([x, x]) as tf.Tensor[];
    expect(loaded.layers.map((l) => l.getClassName())).toContain('TransformerDecoderBlock');
    // The GPT's (causal encoder) block and the decoder block reload as the shared block base class.
    expect(loaded.layers.filter((l) => l instanceof TransformerBlock).map((l) => l.getClassName())).toEqual(['TransformerEncoderBlock', 'TransformerDecoderBlock']);
    for (let i = 0; i < 2; i++) expect(Math.max(...(tf.sub(a[i], b[i]).abs().dataSync() as Float32Array))).toBe(0);
    tf.dispose([x, ...a, ...b]);
  });
});

describe('evaluateText', () => {
  const window = 16;
  const ids = Array.from({ length: 3 * window + 1 }, (_, i) => (i * 7 + (i >> 2)) % 9);
  let model: tf.LayersModel;
  beforeAll(() => {
    model = buildGpt({ vocabSize: 9, contextLength: window, dim: 8, heads: 2, layers: 1, ffDim: 12 }, 5);
    randomizeWeights(model, 2);
  });

  it('with stride = window it equals the loss of non-overlapping windows', () => {
    const x = tf.tensor2d(ids.slice(0, -1), [3, window]);
    const y = tf.tensor2d(ids.slice(1), [3, window]);
    const windows = evaluateSequenceModel(model, x, y);
    const text = evaluateText(model, ids, window, window);
    expect(text.tokens).toBe(3 * window);
    expect(text.bitsPerToken).toBeCloseTo(windows.bitsPerToken, 5);
    tf.dispose([x, y]);
  });

  it('with stride = window / 2 it scores every token once, with at least half a window of context', () => {
    // Windows start at 0, 8, 16, 24, 32; target p is scored in window 0 when p <= 16, else in
    // the window starting at 8 * floor((p - 9) / 8), i.e. on the tokens from there up to p - 1.
    let bits = 0;
    for (let p = 1; p < ids.length; p++) {
      const start = p <= window ? 0 : 8 * Math.floor((p - 9) / 8);
      const logp = tf.tidy(() => tf.logSoftmax((model.predict(tf.tensor2d([ids.slice(start, p)])) as tf.Tensor).slice([0, p - start - 1, 0], [1, 1, 9]).reshape([9])).dataSync());
      bits -= logp[ids[p]] / Math.LN2;
    }
    const text = evaluateText(model, ids, window, 8, 2);
    expect(text.tokens).toBe(ids.length - 1);
    expect(text.bitsPerToken).toBeCloseTo(bits / (ids.length - 1), 5);
  });

  it('rejects a stride outside [1, window]', () => {
    expect(() => evaluateText(model, ids, window, 0)).toThrow('stride must be an integer in [1, 16], got 0');
  });
});

describe('sampling', () => {
  const logits = Float32Array.from([0.1, 2, 1.9, -1]);
  it('greedy, top-k 1 and a tiny top-p pick the argmax; sampling is seeded', () => {
    const r = seededRandom(1);
    expect(pickToken(logits, {}, r)).toBe(1);
    expect(pickToken(logits, { temperature: 5, topK: 1 }, r)).toBe(1);
    expect(pickToken(logits, { temperature: 1, topP: 0.01 }, r)).toBe(1);
    const draw = (seed: number) => {
      const g = seededRandom(seed);
      return Array.from({ length: 40 }, () => pickToken(logits, { temperature: 1, topK: 3 }, g));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(new Set(draw(3)).has(3)).toBe(false);
    expect(new Set(draw(3)).size).toBeGreaterThan(1);
  });
});

describe('gpt architecture on Brown (tiny)', () => {
  it('trains, reports perplexity in tfjs and onnxruntime, writes the decode step, generates and draws attention', async () => {
    const { train, test } = loadBrown({ contextLength: 32, maxChars: 1600 });
    const trained = await gptArchitecture.train({ train, test, epochs: 1, batchSize: 16, seed: 0, verbose: false, checkpointDir: join(dir, 'ckpt') });
    expect(trained.testMetrics.perplexity).toBeGreaterThan(1);
    expect(trained.testMetrics.perplexity).toBeLessThan(96);
    const bytes = await exportOnnx(trained.model);
    const ort = await trained.evaluateOnnx?.(bytes);
    expect(Math.abs((ort?.loss as number) - trained.testMetrics.loss)).toBeLessThan(1e-3);
    expect(ort?.tokenAgreementWithTfjs).toBeGreaterThan(0.99);
    writeFileSync(join(dir, 'model.onnx'), bytes);
    for (const [name, data] of Object.entries(trained.files ?? {})) writeFileSync(join(dir, name), data);
    writeFileSync(join(dir, 'report.json'), JSON.stringify({ arch: 'gpt', dataset: 'brown' }));
    const vocab = JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8')).vocabulary as string[];
    const request = { dir, prompt: 'The jury', maxTokens: 12, temperature: 0, seed: 0 };
    const cached = await gptArchitecture.generate!(request);
    const uncached = await generateText({ ...request, cache: false });
    const reference = greedyGenerateTf(trained.model, Array.from('The jury', (c) => vocab.indexOf(c)), 12).slice(8).map((i) => vocab[i]).join('');
    expect(cached.text).toBe(reference);
    expect(uncached.text).toBe(reference);
    const sampled = await gptArchitecture.generate!({ ...request, temperature: 0.8, topK: 5, topP: 0.9 });
    expect(sampled.tokens).toBe(12);
    const generate = await pipeline('generate', join(dir, 'decode-step.onnx'), { device: 'cpu' }); // vocab.json beside it
    expect([generate.family, generate.handler, generate.device]).toEqual(['transformer', 'OnnxLanguageModel', 'cpu']);
    const greedy = await generate('The jury', { maxTokens: 12 });
    expect(greedy.text).toBe(reference);
    expect(greedy.ids).toHaveLength(12);
    expect((await generate('The jury', { maxTokens: 12, temperature: 0.8, topK: 5, topP: 0.9 })).text).toBe(sampled.text);
    await generate.dispose();
    const pictures = await inspectAttention({ model: trained.model, test, outDir: join(dir, 'inspect') });
    expect(pictures.map((p) => p.split('/').pop())).toEqual(['attention-layer0-head0.png', 'attention-layer0-head1.png', 'attention-layer1-head0.png', 'attention-layer1-head1.png']);
    expect(readFileSync(pictures[0]).subarray(1, 4).toString()).toBe('PNG');
  });
});
