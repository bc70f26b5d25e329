import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportOnnx, initBackend, loadModel, saveModel, tf } from '@neurozoo/core';
import { randomizeWeights } from '@neurozoo/core/testing';
import { loadBrown } from '@neurozoo/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGpt, gptArchitecture, greedyGenerateTf, inspectAttention, PaddingMask, TransformerDecoderBlock } from '../src/index.js';
import { pickToken, seededRandom } from '../src/runtime/index.js';

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
    for (let i = 0; i < 2; i++) expect(Math.max(...(tf.sub(a[i], b[i]).abs().dataSync() as Float32Array))).toBe(0);
    tf.dispose([x, ...a, ...b]);
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
    const uncached = await gptArchitecture.generate!({ ...request, cache: false });
    const reference = greedyGenerateTf(trained.model, Array.from('The jury', (c) => vocab.indexOf(c)), 12).slice(8).map((i) => vocab[i]).join('');
    expect(cached.text).toBe(reference);
    expect(uncached.text).toBe(reference);
    const sampled = await gptArchitecture.generate!({ ...request, temperature: 0.8, topK: 5, topP: 0.9 });
    expect(sampled.tokens).toBe(12);
    const pictures = await inspectAttention({ model: trained.model, test, outDir: join(dir, 'inspect') });
    expect(pictures.map((p) => p.split('/').pop())).toEqual(['attention-layer0-head0.png', 'attention-layer0-head1.png', 'attention-layer1-head0.png', 'attention-layer1-head1.png']);
    expect(readFileSync(pictures[0]).subarray(1, 4).toString()).toBe('PNG');
  });
});
