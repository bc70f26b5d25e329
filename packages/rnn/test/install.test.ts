import { fileURLToPath } from 'node:url';
import { initBackend } from '@neurozoo/core';
import { g2pVocab } from '@neurozoo/core/runtime';
import { installRuntime, trainingPackages } from '@neurozoo/core/testing';
import { describe, expect, it } from 'vitest';
import { exportSeq2Seq, Seq2Seq } from '../src/index.js';
import { OnnxSeq2Seq } from '../src/runtime/index.js';

const WORDS = ['cat', 'zebra', 'moon', 'abc'];
const SCRIPT = (vocab: unknown) => `
import { OnnxSeq2Seq } from '@neurozoo/rnn/runtime';
const g2p = await OnnxSeq2Seq.load('encoder.onnx', 'decoder-step.onnx', ${JSON.stringify(vocab)});
const predictions = await g2p.predict(${JSON.stringify(WORDS)});
console.log(JSON.stringify({ symbols: predictions.map((p) => p.symbols), logProbs: predictions.map((p) => p.logProb), provider: g2p.provider }));
`;

describe('packed tarballs', () => {
  it('a runtime install of @neurozoo/rnn holds no TensorFlow.js and decodes as onnxruntime-node does', async () => {
    await initBackend({ backend: 'cpu' });
    const vocab = g2pVocab('abcdefghijklmnopqrstuvwxyz'.split(''), ['AH', 'B', 'K', 'T', 'Z', 'M', 'UW', 'N'], 8, 10);
    const model = Seq2Seq.create(vocab, { encoderUnits: 8, sourceEmbedding: 6, targetEmbedding: 6, seed: 5 });
    const { encoder, decoderStep } = await exportSeq2Seq(model);
    const reference = await OnnxSeq2Seq.load(encoder, decoderStep, vocab, { devices: ['cpu'] });
    const expected = await reference.predict(WORDS);
    const project = installRuntime(fileURLToPath(new URL('..', import.meta.url)), { 'encoder.onnx': encoder, 'decoder-step.onnx': decoderStep });
    expect(trainingPackages(project.installed())).toEqual([]);
    const result = JSON.parse(project.run('g2p.mjs', SCRIPT(vocab)).trim());
    expect(result.provider).toBe('wasm');
    expect(result.symbols).toEqual(expected.map((p) => p.symbols));
    expect(result.symbols.flat().length).toBeGreaterThan(0);
    result.logProbs.forEach((v: number, i: number) => expect(Math.abs(v - expected[i].logProb)).toBeLessThan(1e-4));
    await reference.release();
  }, 600_000);
});
