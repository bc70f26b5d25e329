import { initBackend, tf } from '@neurozoo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fusedLstmEnabled, lstmSequence, sequenceClassifier, setFusedLstm } from '../../src/index.js';

// Every case runs the same layer twice, once through tfjs-layers' own step loop and once
// through the fused sequence op, and compares outputs and the gradients of every input
// and weight.

// The native backend (C++ step kernels) runs when the addon is built; CI builds it.
const nativeBuilt = await initBackend({ backend: 'native' }).then(
  () => true,
  () => false,
);
const backends = ['wasm', 'cpu', ...(nativeBuilt || process.env.CI ? ['native'] : [])];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(() => setFusedLstm(true));

interface Case {
  name: string;
  layer: () => tf.layers.Layer;
  /** Extra inputs the layer is applied to (initial states). */
  states?: boolean;
}

const lstm = (config: Record<string, unknown>) => () => tf.layers.lstm({ units: 5, recurrentActivation: 'sigmoid', ...config } as never);

const cases: Case[] = [
  { name: 'last output', layer: lstm({}) },
  { name: 'sequences', layer: lstm({ returnSequences: true }) },
  { name: 'goBackwards, sequences', layer: lstm({ returnSequences: true, goBackwards: true }) },
  { name: 'hardSigmoid gates, no bias', layer: lstm({ recurrentActivation: 'hardSigmoid', useBias: false, returnSequences: true }) },
  { name: 'returnState', layer: lstm({ returnSequences: true, returnState: true }) },
  { name: 'initial states', layer: lstm({ returnState: true }), states: true },
  {
    name: 'Bidirectional, concat',
    layer: () => tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 4, returnSequences: true, recurrentActivation: 'sigmoid' }) as never }),
  },
];

/** Outputs and gradients (of a weighted sum of the outputs) w.r.t. x, states and weights. */
function run(layer: tf.layers.Layer, x: tf.Tensor3D, states: tf.Tensor2D[] | undefined) {
  let result: { outputs: number[][]; loss: number; grads: number[][] } | undefined;
  tf.tidy(() => {
    result = runUntidied(layer, x, states);
  });
  return result as NonNullable<typeof result>;
}

function runUntidied(layer: tf.layers.Layer, x: tf.Tensor3D, states: tf.Tensor2D[] | undefined) {
  const weights = layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const f = (...inputs: tf.Tensor[]) => {
    const [xi, ...si] = inputs;
    const out = layer.apply(xi, si.length > 0 ? { initialState: si } : {}) as tf.Tensor | tf.Tensor[];
    const outs = Array.isArray(out) ? out : [out];
    // A different weight per element, so a mixed-up position changes the gradient.
    return tf.addN(outs.map((o, k) => tf.sum(tf.mul(o, tf.sin(tf.add(tf.range(0, o.size).reshape(o.shape), k)))))) as tf.Scalar;
  };
  const inputs = [x, ...(states ?? [])];
  const { value, grads } = tf.variableGrads(() => f(...inputs), weights);
  const inputGrads = tf.grads(f)(inputs);
  const out = layer.apply(x, states ? { initialState: states } : {}) as tf.Tensor | tf.Tensor[];
  const result = {
    outputs: (Array.isArray(out) ? out : [out]).map((t) => Array.from(t.dataSync())),
    loss: value.dataSync()[0],
    grads: [...weights.map((w) => grads[w.name]), ...inputGrads].map((t) => Array.from(t.dataSync())),
  };
  return result;
}

const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.map((row, i) => Math.max(...row.map((v, j) => Math.abs(v - b[i][j])))));

for (const backend of backends) {
  describe(`fused LSTM on ${backend}`, () => {
    for (const c of cases) {
      it(`${c.name}: outputs and every gradient equal tfjs-layers' loop`, async () => {
        await tf.setBackend(backend);
        const before = tf.memory().numTensors;
        const layer = c.layer();
        const x = tf.randomNormal([3, 6, 4], 0, 1, 'float32', 7) as tf.Tensor3D;
        const units = (layer as unknown as { cell?: { units: number } }).cell?.units ?? 4;
        const states = c.states ? [tf.randomNormal([3, units], 0, 1, 'float32', 8) as tf.Tensor2D, tf.randomNormal([3, units], 0, 1, 'float32', 9) as tf.Tensor2D] : undefined;
        tf.tidy(() => {
          layer.apply(tf.zeros([3, 6, 4]), states ? { initialState: states } : {}); // build
        });
        // Weights away from zero so every gate is exercised (and hardSigmoid's clipping).
        for (const w of layer.trainableWeights) {
          const v = (w as unknown as { val: tf.Variable }).val;
          tf.tidy(() => v.assign(tf.randomNormal(v.shape, 0, 0.8, 'float32', v.size)));
        }
        setFusedLstm(false);
        const reference = run(layer, x, states);
        setFusedLstm(true);
        const fused = run(layer, x, states);
        const profile = await tf.profile(() => tf.tidy(() => layer.apply(x, states ? { initialState: states } : {}) as tf.Tensor));
        tf.dispose(profile.result as tf.Tensor);
        expect(profile.kernelNames).toContain('NeurozooLstmStep');
        expect(fused.outputs.length).toBe(reference.outputs.length);
        expect(maxDiff(fused.outputs, reference.outputs)).toBeLessThan(1e-5);
        expect(Math.abs(fused.loss - reference.loss)).toBeLessThan(1e-4);
        expect(fused.grads.length).toBe(reference.grads.length);
        expect(maxDiff(fused.grads, reference.grads)).toBeLessThan(1e-4);
        tf.dispose([x, ...(states ?? [])]);
        layer.dispose();
        expect(tf.memory().numTensors).toBe(before);
        await tf.setBackend('wasm');
      });
    }
  });
}

describe('fused LSTM', () => {
  it('is on by default and trains a model to the same loss curve as the loop', async () => {
    expect(fusedLstmEnabled()).toBe(true);
    const curve = async (fused: boolean) => {
      setFusedLstm(fused);
      const model = sequenceClassifier({ steps: 8, features: 3, classes: 2, units: [6], bidirectional: true, seed: 3 } as never);
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
      const x = tf.randomNormal([16, 8, 3], 0, 1, 'float32', 1);
      const y = tf.oneHot(tf.cast(tf.greater(tf.sum(x, [1, 2]), 0), 'int32'), 2);
      const losses: number[] = [];
      for (let i = 0; i < 10; i++) losses.push((await model.trainOnBatch(x, y)) as number);
      tf.dispose([x, y]);
      model.dispose();
      return losses;
    };
    const loop = await curve(false);
    const fused = await curve(true);
    expect(fused[9]).toBeLessThan(fused[0]);
    for (let i = 0; i < 10; i++) expect(Math.abs(fused[i] - loop[i])).toBeLessThan(1e-4);
  });

  it('falls back to the loop for masked inputs (same result either way)', () => {
    const layer = tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid' });
    const x = tf.randomNormal([2, 4, 2], 0, 1, 'float32', 5);
    const mask = tf.tensor2d([[1, 1, 0, 0], [1, 1, 1, 1]], [2, 4], 'bool');
    layer.apply(x); // build
    const a = (layer as unknown as { call(x: tf.Tensor, k: object): tf.Tensor }).call(x, { mask });
    setFusedLstm(false);
    const b = (layer as unknown as { call(x: tf.Tensor, k: object): tf.Tensor }).call(x, { mask });
    setFusedLstm(true);
    expect(maxDiff([Array.from(a.dataSync())], [Array.from(b.dataSync())])).toBeLessThan(1e-6);
  });

  it('lstmSequence packs h of every step and the last c', () => {
    const out = tf.tidy(() => lstmSequence(tf.ones([1, 2, 1]), tf.zeros([1, 1]), tf.zeros([1, 1]), tf.ones([1, 4]), tf.zeros([1, 4]), tf.zeros([4]), 'sigmoid'));
    expect(out.shape).toEqual([3, 1, 1]);
    // Step 1 by hand: every gate pre-activation is 1.
    const s = 1 / (1 + Math.exp(-1));
    const c1 = s * Math.tanh(1);
    expect(out.dataSync()[0]).toBeCloseTo(s * Math.tanh(c1), 6);
    out.dispose();
  });
});
