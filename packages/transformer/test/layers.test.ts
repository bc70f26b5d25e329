import { initBackend, ShapeError, tf } from '@neurozoo/core';
import { expectOnnxParity, randomizeWeights } from '@neurozoo/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MaskedAveragePooling,
  MaskedMaxPooling,
  MultiHeadAttention,
  PaddingMask,
  PositionEmbedding,
  SequenceCrossEntropy,
  SinusoidalPositionEncoding,
  TokenAndPositionEmbedding,
  TRANSFORMER_CONVERTERS,
  tokenCrossEntropy,
  TransformerDecoderBlock,
  TransformerEncoderBlock,
} from '../src/index.js';

beforeAll(async () => {
  await initBackend();
});

const ids = (b: number, t: number, vocab: number, seed: number, padTail = 0) =>
  tf.tensor2d(Array.from({ length: b * t }, (_, i) => ((i % t) >= t - padTail && i >= t ? 0 : 1 + ((i * 7 + seed * 13) % (vocab - 1)))), [b, t]);

function encoderModel(opts: { normFirst: boolean; causal: boolean; padding: boolean; activation: 'gelu' | 'relu' }) {
  const input = tf.input({ shape: [null], name: 'ids' });
  let x = new TokenAndPositionEmbedding({ vocabSize: 11, dim: 16, maxLength: 12, positional: opts.causal ? 'learned' : 'sinusoidal', scale: true }).apply(input) as tf.SymbolicTensor;
  const mask = opts.padding ? (new PaddingMask().apply(input) as tf.SymbolicTensor) : null;
  for (let i = 0; i < 2; i++) {
    const block = new TransformerEncoderBlock({ numHeads: 2, ffDim: 24, dropout: 0.1, causal: opts.causal, normFirst: opts.normFirst, activation: opts.activation, maxLength: 12 });
    x = block.apply(mask ? [x, mask] : x) as tf.SymbolicTensor;
  }
  const logits = tf.layers.dense({ units: 11 }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits });
}

describe('encoder block ONNX parity', () => {
  for (const normFirst of [true, false]) {
    for (const [causal, padding] of [[true, false], [false, true]] as const) {
      it(`${normFirst ? 'pre' : 'post'}-LN, ${causal ? 'causal' : 'padding'} mask, batch 1 and 3, lengths 1/5/12`, async () => {
        const model = encoderModel({ normFirst, causal, padding, activation: normFirst ? 'gelu' : 'relu' });
        randomizeWeights(model, 3);
        let worst = 0;
        for (const [b, t] of [[1, 5], [3, 1], [3, 12], [1, 12]]) {
          const x = ids(b, t, 11, t, padding ? 2 : 0);
          const { maxAbsError } = await expectOnnxParity(model, x, { tol: 1e-4, check: b === 3 && t === 12 });
          worst = Math.max(worst, maxAbsError);
          x.dispose();
        }
        expect(worst).toBeLessThan(1e-4);
      });
    }
  }
});

describe('MultiHeadAttention and decoder block', () => {
  it('cross-attention layer with a key mask matches onnxruntime', async () => {
    const q = tf.input({ shape: [null, 8], name: 'q' });
    const v = tf.input({ shape: [null, 6], name: 'v' });
    const m = tf.input({ shape: [null], name: 'm' });
    const y = new MultiHeadAttention({ numHeads: 3, keyDim: 4, valueDim: 5, outputDim: 7 }).apply([q, v, m]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [q, v, m], outputs: y });
    randomizeWeights(model, 5);
    const inputs = [tf.randomNormal([2, 3, 8]), tf.randomNormal([2, 4, 6]), tf.tensor2d([[1, 1, 0, 0], [1, 1, 1, 0]])];
    const { maxAbsError } = await expectOnnxParity(model, inputs);
    expect(maxAbsError).toBeLessThan(1e-4);
    tf.dispose(inputs);
  });

  for (const normFirst of [true, false]) {
    it(`decoder block (${normFirst ? 'pre' : 'post'}-LN) over encoder memory with padding matches onnxruntime`, async () => {
      const src = tf.input({ shape: [null], name: 'source' });
      const tgt = tf.input({ shape: [null], name: 'target' });
      const mask = new PaddingMask().apply(src) as tf.SymbolicTensor;
      let memory = new TokenAndPositionEmbedding({ vocabSize: 9, dim: 12, maxLength: 10 }).apply(src) as tf.SymbolicTensor;
      memory = new TransformerEncoderBlock({ numHeads: 3, ffDim: 16, normFirst }).apply([memory, mask]) as tf.SymbolicTensor;
      let x = new TokenAndPositionEmbedding({ vocabSize: 7, dim: 12, maxLength: 10, positional: 'sinusoidal' }).apply(tgt) as tf.SymbolicTensor;
      x = new TransformerDecoderBlock({ numHeads: 3, ffDim: 16, normFirst, maxLength: 10 }).apply([x, memory, mask]) as tf.SymbolicTensor;
      const model = tf.model({ inputs: [src, tgt], outputs: x });
      randomizeWeights(model, 9);
      for (const [b, ts, tt] of [[1, 4, 3], [3, 6, 7]]) {
        const inputs = [ids(b, ts, 9, 1, 2), ids(b, tt, 7, 2)];
        const { maxAbsError } = await expectOnnxParity(model, inputs);
        expect(maxAbsError).toBeLessThan(1e-4);
        tf.dispose(inputs);
      }
    });
  }
});

describe('poolings, positions and the token loss', () => {
  it('masked poolings skip masked positions; without a mask they pool every position', () => {
    const x = tf.tensor3d([[[1, 2], [3, 4], [100, -100]]]);
    const mask = tf.tensor2d([[1, 1, 0]]);
    const avg = new MaskedAveragePooling();
    const max = new MaskedMaxPooling();
    expect(Array.from((avg.apply([x, mask]) as tf.Tensor).dataSync())).toEqual([2, 3]);
    expect(Array.from((max.apply([x, mask]) as tf.Tensor).dataSync())).toEqual([3, 4]);
    expect(Array.from((avg.apply(x) as tf.Tensor).dataSync())).toEqual([104 / 3, -94 / 3].map(Math.fround));
    expect(Array.from((max.apply(x) as tf.Tensor).dataSync())).toEqual([100, 4]);
    tf.dispose([x, mask]);
  });

  it('SinusoidalPositionEncoding adds sin/cos of the position (sin on even columns) and refuses a too long sequence', () => {
    const layer = new SinusoidalPositionEncoding({ maxLength: 3, name: 'pos' });
    const out = (layer.apply(tf.zeros([1, 2, 4])) as tf.Tensor).arraySync() as number[][][];
    expect(out[0][0]).toEqual([0, 1, 0, 1]);
    const expected = [Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01)];
    out[0][1].forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    expect(() => layer.apply(tf.zeros([1, 5, 4]))).toThrow(ShapeError);
    expect(() => layer.apply(tf.zeros([1, 5, 4]))).toThrow('pos: sequence of 5 positions is longer than maxLength 3.');
  });

  it('PositionEmbedding adds its learned rows; a classifier of both position kinds and masked pooling matches onnxruntime', async () => {
    const input = tf.input({ shape: [null, 6] });
    const mask = tf.input({ shape: [null] });
    const learned = new PositionEmbedding({ maxLength: 5 });
    let x = learned.apply(input) as tf.SymbolicTensor;
    x = new SinusoidalPositionEncoding({ maxLength: 5 }).apply(x) as tf.SymbolicTensor;
    const pooled = new MaskedAveragePooling().apply([x, mask]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [input, mask], outputs: pooled });
    randomizeWeights(model, 4);
    const zeros = tf.zeros([1, 3, 6]);
    const rows = tf.tidy(() => (learned.apply(zeros) as tf.Tensor).sub(learned.positions.read().slice([0, 0], [3, 6])).abs().max().dataSync()[0]);
    expect(rows).toBe(0);
    const inputs = [tf.randomNormal([2, 4, 6]), tf.tensor2d([[1, 1, 1, 0], [1, 0, 0, 0]])];
    const { maxAbsError } = await expectOnnxParity(model, inputs);
    expect(maxAbsError).toBeLessThan(1e-5);
    tf.dispose([zeros, ...inputs]);
  });

  it('tokenCrossEntropy is log V for uniform logits, ignores the padding id and rescales the rest; SequenceCrossEntropy averages it', () => {
    const logits = tf.zeros([1, 2, 4]);
    const targets = tf.tensor2d([[1, 2]]);
    const log4 = Math.log(4);
    Array.from(tokenCrossEntropy(logits, targets).dataSync()).forEach((v) => expect(v).toBeCloseTo(log4, 6));
    Array.from(tokenCrossEntropy(logits, targets, 0.1).dataSync()).forEach((v) => expect(v).toBeCloseTo(log4, 6));
    const [kept, ignored] = Array.from(tokenCrossEntropy(logits, targets, 0, 2).dataSync());
    expect(kept).toBeCloseTo(2 * log4, 5);
    expect(ignored).toBe(0);
    const sequenceLoss = new SequenceCrossEntropy({ ignoreId: 2 }).apply([logits, targets]) as tf.Tensor;
    expect(sequenceLoss.shape).toEqual([1, 1]);
    expect(sequenceLoss.dataSync()[0]).toBeCloseTo(log4, 5);
    tf.dispose([logits, targets, sequenceLoss]);
  });
});

it('TRANSFORMER_CONVERTERS converts every inference layer of the family (the training-only loss has none)', () => {
  expect(Object.keys(TRANSFORMER_CONVERTERS).sort()).toEqual([
    'MaskedAveragePooling',
    'MaskedMaxPooling',
    'MultiHeadAttention',
    'PaddingMask',
    'PositionEmbedding',
    'SinusoidalPositionEncoding',
    'TokenAndPositionEmbedding',
    'TransformerDecoderBlock',
    'TransformerEncoderBlock',
    'TransformerLayerNorm',
  ]);
  expect(TRANSFORMER_CONVERTERS.SequenceCrossEntropy).toBeUndefined();
});
