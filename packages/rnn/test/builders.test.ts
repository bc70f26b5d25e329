import { initBackend, tf } from '@neurozoo/core';
import { expectOnnxParity, randomizeWeights } from '@neurozoo/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyStack, charLanguageModel, charStepModel, recurrentLayer, sequenceClassifier, sequenceTagger } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const cellsOf = (m: tf.LayersModel) =>
  m.layers.flatMap((l) => {
    const inner = (l as unknown as { forwardLayer?: { cell: unknown }; cell?: unknown }).forwardLayer?.cell ?? (l as unknown as { cell?: unknown }).cell;
    return inner ? [inner as { recurrentActivation: { getClassName(): string } }] : [];
  });

describe('builders', () => {
  it('default recurrentActivation to sigmoid, and hardSigmoid on request', () => {
    const m = sequenceClassifier({ steps: 4, features: 3, classes: 2, units: [4, 4], bidirectional: true });
    expect(cellsOf(m).map((c) => c.recurrentActivation.getClassName())).toEqual(['sigmoid', 'sigmoid']);
    const h = sequenceClassifier({ steps: 4, features: 3, classes: 2, units: [4], cell: 'gru', recurrentActivation: 'hardSigmoid' });
    expect(cellsOf(h)[0].recurrentActivation.getClassName()).toBe('hardSigmoid');
  });

  it('tagger (Embedding, BiLSTM x2, TimeDistributed softmax) and char LM export with parity', async () => {
    for (const model of [
      sequenceTagger({ vocabSize: 30, outputs: 7, units: [6, 5], embeddingDim: 4 }),
      charLanguageModel({ vocabSize: 20, units: [8], cell: 'gru', embeddingDim: 4 }),
      sequenceClassifier({ steps: 5, features: 3, classes: 4, units: [6], cell: 'simpleRNN', flatInput: true }),
    ]) {
      randomizeWeights(model, 2);
      expect((await expectOnnxParity(model)).maxAbsError).toBeLessThan(1e-5);
      model.dispose();
    }
  });

  it('rejects bad sizes with clear errors', () => {
    expect(() => sequenceClassifier({ steps: 4, features: 3, classes: 2, units: [0] })).toThrow('units must be positive integers, got 0');
    expect(() => sequenceClassifier({ steps: 4, features: 3, classes: 2, units: [] })).toThrow('units needs at least one layer size');
  });

  it('recurrentLayer: the named cell, bidirectional with its merge mode, and the stack of applyStack', () => {
    const bi = recurrentLayer(6, { cell: 'gru', bidirectional: true, mergeMode: 'sum', returnSequences: true, name: 'enc' });
    expect([bi.getClassName(), bi.name, (bi.getConfig() as { mergeMode: string }).mergeMode]).toEqual(['Bidirectional', 'enc', 'sum']);
    const one = recurrentLayer(5, { returnSequences: false });
    expect(one.getClassName()).toBe('LSTM');
    expect(() => recurrentLayer(2, { cell: 'rnn' as never, returnSequences: false })).toThrow("cell must be 'lstm', 'gru' or 'simpleRNN', got 'rnn'");
    const x = tf.input({ shape: [7, 3] });
    expect(applyStack(x, { units: [4, 6], bidirectional: true }, true).shape).toEqual([null, 7, 12]); // concat of two directions
    expect(applyStack(x, { units: [4, 6], cell: 'simpleRNN' }, false).shape).toEqual([null, 6]);
    expect(() => applyStack(x, { units: [] }, false)).toThrow('units needs at least one layer size');
  });

  it('charStepModel: fed a text in two chunks with its states, gives the full model\'s next-character probabilities', () => {
    const lm = charLanguageModel({ vocabSize: 9, units: [6, 5], embeddingDim: 4, seed: 3 });
    randomizeWeights(lm, 4);
    const { model, states } = charStepModel(lm);
    expect(states).toEqual([6, 6, 5, 5]); // h and c of both LSTM layers
    const ids = [1, 4, 2, 8, 3];
    const full = tf.tidy(() => (lm.predict(tf.tensor2d([ids])) as tf.Tensor).arraySync() as number[][][]);
    const run = (chunk: number[], s: tf.Tensor[]) => model.predict([tf.tensor2d([chunk]), ...s]) as tf.Tensor[];
    const [first, ...carried] = run(ids.slice(0, 2), states.map((n) => tf.zeros([1, n])));
    const [second] = run(ids.slice(2), carried);
    const stepped = [...(first.arraySync() as number[][][])[0], ...(second.arraySync() as number[][][])[0]];
    stepped.forEach((row, t) => row.forEach((p, k) => expect(p).toBeCloseTo(full[0][t][k], 5)));
    expect(() => charStepModel(sequenceTagger({ vocabSize: 9, outputs: 3, units: [4], embeddingDim: 2 }))).toThrow(
      "charStepModel: layer 'rnn_0' of class Bidirectional cannot run step by step; expected Embedding, LSTM, GRU, SimpleRNN, Dropout, TimeDistributed(Dense)",
    );
  });
});
