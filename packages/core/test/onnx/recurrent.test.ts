/** Parity of the stock recurrent converters (SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed). */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectOnnxParity, randomInputs, randomizeWeights } from '../../src/testing/index.js';
import { tf } from '../../src/tf.js';
import { useWasm } from './helpers.js';

beforeAll(useWasm);

type Kind = 'lstm' | 'gru' | 'simpleRNN';
const rnn = (kind: Kind, cfg: Record<string, unknown>) => tf.layers[kind]({ units: 5, ...cfg } as never) as tf.layers.Layer;

/** Parity at batch 1 and 4 and two sequence lengths (the model has a variable time axis). */
async function parity(build: () => tf.LayersModel, seed = 1) {
  const model = build();
  randomizeWeights(model, seed);
  let worst = 0;
  for (const [batch, steps] of [[1, 3], [4, 7]]) {
    const inputs = randomInputs(model, batch, seed).map((t) => (t.shape.length === 3 ? tf.randomNormal([batch, steps, t.shape[2]], 0, 1, 'float32', seed) : t));
    const { maxAbsError } = await expectOnnxParity(model, inputs, { check: batch === 1 });
    worst = Math.max(worst, maxAbsError);
    tf.dispose(inputs);
  }
  model.dispose();
  return worst;
}

const seqModel = (layers: tf.layers.Layer[], features = 6) => {
  const m = tf.sequential();
  m.add(tf.layers.inputLayer({ inputShape: [null, features] }));
  for (const l of layers) m.add(l);
  return m;
};

describe('recurrent converters', () => {
  for (const kind of ['simpleRNN', 'lstm', 'gru'] as Kind[]) {
    for (const returnSequences of [false, true]) {
      for (const goBackwards of [false, true]) {
        it(`${kind} returnSequences=${returnSequences} goBackwards=${goBackwards}`, async () => {
          const err = await parity(() => seqModel([rnn(kind, { returnSequences, goBackwards, recurrentActivation: 'sigmoid' })]));
          expect(err).toBeLessThan(1e-5);
        });
      }
    }
  }
});

describe('bidirectional, state and wrapper converters', () => {
  for (const kind of ['lstm', 'gru', 'simpleRNN'] as Kind[]) {
    for (const mergeMode of ['concat', 'sum', 'mul', 'ave', null] as const) {
      it(`Bidirectional(${kind}) mergeMode=${mergeMode}, returnSequences true and false`, async () => {
        for (const returnSequences of [true, false]) {
          const err = await parity(() => {
            const input = tf.input({ shape: [null, 6] });
            const layer = tf.layers.bidirectional({ layer: rnn(kind, { returnSequences, recurrentActivation: 'sigmoid' }) as never, mergeMode: mergeMode as never });
            return tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor | tf.SymbolicTensor[] });
          });
          expect(err).toBeLessThan(1e-5);
        }
      });
    }
  }

  it('hardSigmoid (tfjs default) and other activations, bidirectional and not', async () => {
    for (const [kind, cfg] of [
      ['lstm', {}],
      ['gru', {}],
      ['lstm', { activation: 'relu', recurrentActivation: 'hardSigmoid' }],
      ['gru', { activation: 'softsign', recurrentActivation: 'sigmoid' }],
      ['simpleRNN', { activation: 'relu' }],
      ['simpleRNN', { activation: 'linear' }],
    ] as [Kind, Record<string, unknown>][]) {
      expect(await parity(() => seqModel([rnn(kind, { ...cfg, returnSequences: true })]))).toBeLessThan(1e-5);
      expect(await parity(() => seqModel([tf.layers.bidirectional({ layer: rnn(kind, cfg) as never })]))).toBeLessThan(1e-5);
    }
  });

  it('returnState with initial states, LSTM and GRU, one and two directions', async () => {
    for (const kind of ['lstm', 'gru'] as Kind[]) {
      const n = kind === 'lstm' ? 2 : 1;
      for (const bidirectional of [false, true]) {
        const err = await parity(() => {
          const x = tf.input({ shape: [null, 6] });
          const states = Array.from({ length: n * (bidirectional ? 2 : 1) }, () => tf.input({ shape: [5] }));
          const inner = rnn(kind, { returnSequences: true, returnState: true, recurrentActivation: 'sigmoid' });
          const layer = bidirectional ? tf.layers.bidirectional({ layer: inner as never }) : inner;
          const out = layer.apply([x, ...states]) as tf.SymbolicTensor[];
          return tf.model({ inputs: [x, ...states], outputs: out });
        });
        expect(err).toBeLessThan(1e-5);
      }
    }
  });

  it('stacked BiLSTM -> LSTM -> TimeDistributed(Dense) and TimeDistributed(LayerNormalization)', async () => {
    const err = await parity(() =>
      seqModel([
        tf.layers.bidirectional({ layer: rnn('lstm', { returnSequences: true, recurrentActivation: 'sigmoid' }) as never }),
        rnn('gru', { units: 4, returnSequences: true }),
        tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 3, activation: 'softmax' }) }),
        tf.layers.timeDistributed({ layer: tf.layers.layerNormalization() }),
      ]),
    );
    expect(err).toBeLessThan(1e-5);
  });
});
