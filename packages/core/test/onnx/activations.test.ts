import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportedActivations } from '../../src/onnx/index.js';
import { tf } from '../../src/tf.js';
import { parity, report, useWasm } from './helpers.js';

beforeAll(useWasm);
afterAll(() => report('activations'));

// Every identifier tfjs-layers 4.22 registers: ActivationIdentifier plus logSoftmax.
const ACTIVATIONS = [
  'elu', 'hardSigmoid', 'linear', 'relu', 'relu6', 'selu', 'sigmoid', 'softmax', 'softplus',
  'softsign', 'tanh', 'swish', 'mish', 'gelu', 'gelu_new', 'logSoftmax',
];

/** Dense (weights randomised per test) followed by the activation. */
function denseWith(activation: string, inputShape: number[] = [6]): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape, activation: activation as 'relu' })] });
}

describe('activation strings', () => {
  it('knows every tfjs activation', () => {
    for (const a of ACTIVATIONS) expect(supportedActivations()).toContain(a);
  });

  for (const activation of ACTIVATIONS) {
    it(`Dense(activation='${activation}') matches tfjs`, async () => {
      expect(await parity(`Dense/${activation}`, denseWith(activation))).toBeLessThan(1e-4);
      // Rank-3 input: activations over the last axis of [batch, time, features].
      expect(await parity(`Dense/${activation} rank3`, denseWith(activation, [3, 6]))).toBeLessThan(1e-4);
    });
  }

  it('Activation layer with every identifier', async () => {
    for (const activation of ACTIVATIONS) {
      const model = tf.sequential({
        layers: [tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.activation({ activation: activation as 'relu' })],
      });
      expect(await parity(`Activation/${activation}`, model)).toBeLessThan(1e-4);
    }
  });

  it('stays finite and exact for large |x| (softplus, mish, selu, softsign, softmax, logSoftmax)', async () => {
    const { expectOnnxParity } = await import('../../src/testing/index.js');
    for (const activation of ['softplus', 'mish', 'selu', 'softsign', 'softmax', 'logSoftmax', 'gelu', 'gelu_new']) {
      const model = tf.sequential({ layers: [tf.layers.activation({ activation: activation as 'relu', inputShape: [6] })] });
      const x = tf.tensor2d([[-100, -20, -1e-3, 0, 20, 80]]);
      const r = await expectOnnxParity(model, x, { tol: 1e-4 * 100 });
      x.dispose();
      // Outputs reach ~100 here: compare relative to that scale.
      expect(r.maxRelError, activation).toBeLessThan(1e-6);
    }
  });
});

describe('activation layers', () => {
  const cases: Array<[string, () => tf.layers.Layer, number[]]> = [
    ['ReLU', () => tf.layers.reLU(), [6]],
    ['ReLU(maxValue=0.3)', () => tf.layers.reLU({ maxValue: 0.3 }), [6]],
    ['LeakyReLU', () => tf.layers.leakyReLU(), [6]],
    ['LeakyReLU(alpha=0.05)', () => tf.layers.leakyReLU({ alpha: 0.05 }), [6]],
    ['PReLU', () => tf.layers.prelu(), [6]],
    ['PReLU(sharedAxes=[1,2]) rank4', () => tf.layers.prelu({ sharedAxes: [1, 2] }), [3, 2, 6]],
    ['ELU', () => tf.layers.elu(), [6]],
    ['ThresholdedReLU(theta=0.2)', () => tf.layers.thresholdedReLU({ theta: 0.2 }), [6]],
    ['Softmax (default axis)', () => tf.layers.softmax(), [6]],
    // tfjs softmax only supports the last axis alone; several axes go through logSumExp.
    ['Softmax(axis=2) rank3', () => tf.layers.softmax({ axis: 2 }), [3, 6]],
    ['Softmax(axis=[1,2]) rank3', () => tf.layers.softmax({ axis: [1, 2] as unknown as number }), [3, 6]],
    ['Softmax(axis=-1) rank3', () => tf.layers.softmax({ axis: -1 }), [3, 6]],
  ];
  for (const [label, make, shape] of cases) {
    it(`${label} matches tfjs`, async () => {
      const input = tf.input({ shape });
      const pre = tf.layers.dense({ units: shape[shape.length - 1] }).apply(input) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: make().apply(pre) as tf.SymbolicTensor });
      expect(await parity(label, model)).toBeLessThan(1e-4);
    });
  }
});
