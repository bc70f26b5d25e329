/** Parity of every core converter except the activations (see activations.test.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../src/tf.js';
import { parity, report, useWasm } from './helpers.js';

beforeAll(useWasm);
afterAll(() => report('layers'));

type Make = (x: tf.SymbolicTensor) => tf.SymbolicTensor;
const sym = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;

/** A one-input model: Dense to `features` first (so the tested layer sees non-trivial values), then `make`. */
function chain(shape: number[], make: Make): tf.LayersModel {
  const input = tf.input({ shape });
  return tf.model({ inputs: input, outputs: make(input) });
}

const single: Array<[string, number[], Make]> = [
  ['Dense', [5], (x) => sym(tf.layers.dense({ units: 3 }), x)],
  ['Dense(useBias=false)', [5], (x) => sym(tf.layers.dense({ units: 3, useBias: false }), x)],
  ['Dense rank3', [4, 5], (x) => sym(tf.layers.dense({ units: 3, activation: 'tanh' }), x)],
  ['Dense rank4', [2, 4, 5], (x) => sym(tf.layers.dense({ units: 3 }), x)],
  ['Dropout', [5], (x) => sym(tf.layers.dense({ units: 2 }), sym(tf.layers.dropout({ rate: 0.5 }), x))],
  ['SpatialDropout1D', [4, 5], (x) => sym(tf.layers.spatialDropout1d({ rate: 0.5 }), sym(tf.layers.dense({ units: 3 }), x))],
  ['GaussianNoise', [5], (x) => sym(tf.layers.dense({ units: 2 }), sym(tf.layers.gaussianNoise({ stddev: 1 }), x))],
  ['GaussianDropout', [5], (x) => sym(tf.layers.dense({ units: 2 }), sym(tf.layers.gaussianDropout({ rate: 0.3 }), x))],
  ['AlphaDropout', [5], (x) => sym(tf.layers.dense({ units: 2 }), sym(tf.layers.alphaDropout({ rate: 0.3 }), x))],
  ['Flatten rank4', [3, 2, 4], (x) => sym(tf.layers.dense({ units: 2 }), sym(tf.layers.flatten(), x))],
  ['Flatten rank3', [3, 4], (x) => sym(tf.layers.flatten(), x)],
  ['Reshape', [12], (x) => sym(tf.layers.reshape({ targetShape: [3, 4] }), sym(tf.layers.dense({ units: 12 }), x))],
  ['Reshape(-1)', [3, 4], (x) => sym(tf.layers.reshape({ targetShape: [-1, 2] }), x)],
  ['Permute', [2, 3, 4], (x) => sym(tf.layers.permute({ dims: [3, 1, 2] }), x)],
  ['RepeatVector', [5], (x) => sym(tf.layers.repeatVector({ n: 3 }), sym(tf.layers.dense({ units: 4 }), x))],
  ['LayerNormalization', [6], (x) => sym(tf.layers.layerNormalization(), sym(tf.layers.dense({ units: 6 }), x))],
  ['LayerNormalization rank3', [4, 6], (x) => sym(tf.layers.layerNormalization({ epsilon: 1e-5 }), x)],
  ['LayerNormalization(center,scale=false)', [6], (x) => sym(tf.layers.layerNormalization({ center: false, scale: false }), x)],
  ['LayerNormalization(axis=[1,2])', [4, 6], (x) => sym(tf.layers.layerNormalization({ axis: [1, 2] }), x)],
  ['LayerNormalization(axis=1) rank3', [4, 6], (x) => sym(tf.layers.layerNormalization({ axis: 1 }), x)],
  ['BatchNormalization', [6], (x) => sym(tf.layers.batchNormalization(), sym(tf.layers.dense({ units: 6 }), x))],
  ['BatchNormalization rank3', [4, 6], (x) => sym(tf.layers.batchNormalization({ epsilon: 1e-5 }), x)],
  ['BatchNormalization rank4', [3, 2, 6], (x) => sym(tf.layers.batchNormalization(), x)],
  // tfjs applies non-last-axis parameters modulo C over the flat tensor; the export mirrors it.
  ['BatchNormalization(axis=1) rank4', [3, 2, 6], (x) => sym(tf.layers.batchNormalization({ axis: 1 }), x)],
  ['BatchNormalization(axis=2) rank4', [3, 2, 6], (x) => sym(tf.layers.batchNormalization({ axis: 2 }), x)],
  ['BatchNormalization(center,scale=false)', [6], (x) => sym(tf.layers.batchNormalization({ center: false, scale: false }), x)],
];

describe('single-input converters', () => {
  for (const [label, shape, make] of single) {
    it(`${label} matches tfjs`, async () => {
      expect(await parity(label, chain(shape, make))).toBeLessThan(1e-4);
    });
  }

  it('LayerNormalization decomposed at opset 13 and 16, LayerNormalization-17 op at 17', async () => {
    for (const opset of [13, 16, 17]) {
      const model = chain([4, 6], (x) => sym(tf.layers.layerNormalization(), x));
      expect(await parity(`LayerNormalization opset ${opset}`, model, { opset })).toBeLessThan(1e-4);
    }
  });

  it('Embedding (float ids, as tfjs feeds them) matches tfjs', async () => {
    const model = chain([5], (x) => sym(tf.layers.embedding({ inputDim: 11, outputDim: 4 }), x));
    expect(await parity('Embedding', model)).toBeLessThan(1e-4);
    const masked = chain([5], (x) => sym(tf.layers.dense({ units: 3 }), sym(tf.layers.flatten(), sym(tf.layers.embedding({ inputDim: 7, outputDim: 2, maskZero: true }), x))));
    expect(await parity('Embedding(maskZero) + Flatten', masked)).toBeLessThan(1e-4);
  });

  it('Embedding with an int32 input', async () => {
    const input = tf.input({ shape: [3], dtype: 'int32' });
    const model = tf.model({ inputs: input, outputs: sym(tf.layers.embedding({ inputDim: 9, outputDim: 4 }), input) });
    expect(await parity('Embedding int32 input', model)).toBeLessThan(1e-4);
  });
});

/** A two-input model (shapes a and b) merged by `make`, after a Dense on each branch. */
function merged(a: number[], b: number[], make: (x: tf.SymbolicTensor, y: tf.SymbolicTensor) => tf.SymbolicTensor): tf.LayersModel {
  const x = tf.input({ shape: a, name: 'left' });
  const y = tf.input({ shape: b, name: 'right' });
  return tf.model({ inputs: [x, y], outputs: make(x, y) });
}

const merges: Array<[string, number[], number[], (x: tf.SymbolicTensor, y: tf.SymbolicTensor) => tf.SymbolicTensor]> = [
  ['Add', [4], [4], (x, y) => sym(tf.layers.add(), [x, y])],
  ['Add broadcast rank3+rank2', [3, 4], [4], (x, y) => sym(tf.layers.add(), [x, y])],
  ['Multiply', [3, 4], [3, 4], (x, y) => sym(tf.layers.multiply(), [x, y])],
  ['Average', [4], [4], (x, y) => sym(tf.layers.average(), [x, y])],
  ['Maximum', [4], [4], (x, y) => sym(tf.layers.maximum(), [x, y])],
  ['Minimum', [3, 4], [3, 4], (x, y) => sym(tf.layers.minimum(), [x, y])],
  ['Concatenate', [4], [2], (x, y) => sym(tf.layers.concatenate(), [x, y])],
  ['Concatenate(axis=1) rank3', [3, 4], [2, 4], (x, y) => sym(tf.layers.concatenate({ axis: 1 }), [x, y])],
  ['Concatenate(axis=-1) rank3', [3, 4], [3, 2], (x, y) => sym(tf.layers.concatenate({ axis: -1 }), [x, y])],
  ['Dot(axes=1)', [4], [4], (x, y) => sym(tf.layers.dot({ axes: 1 }), [x, y])],
  ['Dot(axes=1, normalize)', [4], [4], (x, y) => sym(tf.layers.dot({ axes: 1, normalize: true }), [x, y])],
  ['Dot(axes=[2,2]) rank3', [3, 4], [5, 4], (x, y) => sym(tf.layers.dot({ axes: [2, 2] }), [x, y])],
  ['Dot(axes=[1,1]) rank3', [3, 4], [3, 5], (x, y) => sym(tf.layers.dot({ axes: [1, 1] }), [x, y])],
  ['Dot(axes=[2,1]) rank3', [3, 4], [4, 5], (x, y) => sym(tf.layers.dot({ axes: [2, 1] }), [x, y])],
  ['Dot(axes=-1) rank3+rank2', [3, 4], [4], (x, y) => sym(tf.layers.dot({ axes: -1 }), [x, y])],
  ['Dot(axes=[1,1]) rank2+rank3', [3], [3, 4], (x, y) => sym(tf.layers.dot({ axes: [1, 1] }), [x, y])],
];

describe('merge converters', () => {
  for (const [label, a, b, make] of merges) {
    it(`${label} matches tfjs`, async () => {
      expect(await parity(label, merged(a, b, make))).toBeLessThan(1e-4);
    });
  }

  it('merges of three inputs', async () => {
    for (const [name, layer] of [['Add', tf.layers.add], ['Multiply', tf.layers.multiply], ['Average', tf.layers.average], ['Maximum', tf.layers.maximum], ['Minimum', tf.layers.minimum], ['Concatenate', tf.layers.concatenate]] as const) {
      const inputs = [0, 1, 2].map((i) => tf.input({ shape: [4], name: `in${i}_${name}` }));
      const model = tf.model({ inputs, outputs: sym((layer as (a?: object) => tf.layers.Layer)({}), inputs) });
      expect(await parity(`${name} x3`, model)).toBeLessThan(1e-4);
    }
  });
});
