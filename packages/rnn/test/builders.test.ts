import { initBackend, type tf } from '@neurozoo/core';
import { expectOnnxParity, randomizeWeights } from '@neurozoo/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { charLanguageModel, sequenceClassifier, sequenceTagger } from '../src/index.js';

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
});
