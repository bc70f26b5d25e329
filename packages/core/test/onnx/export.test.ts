/** exportOnnx on whole models: graph walking, naming, errors, opsets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptionError, UnsupportedLayerError } from '../../src/errors.js';
import { exportOnnx, inspectOnnx } from '../../src/onnx/index.js';
import { tf } from '../../src/tf.js';
import { parity, report, useWasm } from './helpers.js';

beforeAll(useWasm);
afterAll(() => report('export'));

const sym = (layer: tf.layers.Layer, x: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(x) as tf.SymbolicTensor;

/** Core's converter classes plus the ones exportOnnx handles itself. */
const CORE_CLASSES = [
  'Activation', 'Add', 'AlphaDropout', 'Average', 'AveragePooling2D', 'BatchNormalization', 'Concatenate', 'Conv2D',
  'Cropping2D', 'Dense', 'DepthwiseConv2D', 'Dot', 'Dropout', 'ELU', 'Embedding', 'Flatten', 'Functional',
  'GaussianDropout', 'GaussianNoise', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'InputLayer', 'LayerNormalization',
  'LeakyReLU', 'MaxPooling2D', 'Maximum', 'Minimum', 'Model', 'Multiply', 'PReLU', 'Permute', 'ReLU', 'RepeatVector',
  'Reshape', 'SeparableConv2D', 'Sequential', 'Softmax', 'SpatialDropout1D', 'SpatialDropout2D', 'ThresholdedReLU',
  'UpSampling2D', 'ZeroPadding2D', 'LSTM', 'GRU', 'SimpleRNN', 'Bidirectional', 'TimeDistributed',
];

describe('graph walking', () => {
  it('functional model with two inputs, two outputs and branches', async () => {
    const left = tf.input({ shape: [5], name: 'left' });
    const right = tf.input({ shape: [3], name: 'right' });
    const a = sym(tf.layers.dense({ units: 4, activation: 'relu' }), left);
    const b = sym(tf.layers.dense({ units: 4, activation: 'tanh' }), right);
    const joined = sym(tf.layers.concatenate(), [a, b]);
    const probs = sym(tf.layers.dense({ units: 3, activation: 'softmax', name: 'probs' }), joined);
    const side = sym(tf.layers.add(), [a, sym(tf.layers.dense({ units: 4 }), b)]);
    const value = sym(tf.layers.dense({ units: 1, name: 'value' }), side);
    const model = tf.model({ inputs: [left, right], outputs: [probs, value] });
    expect(await parity('two inputs, two outputs, branches', model)).toBeLessThan(1e-4);

    const info = inspectOnnx(await exportOnnx(model));
    expect(info.inputs).toEqual([
      { name: 'left', dims: ['batch', 5], dtype: 'float32' },
      { name: 'right', dims: ['batch', 3], dtype: 'float32' },
    ]);
    expect(info.outputs).toEqual([
      { name: 'probs', dims: ['batch', 3], dtype: 'float32' },
      { name: 'value', dims: ['batch', 1], dtype: 'float32' },
    ]);
  });

  it('outputs in model.outputs order even when listed against layer order', async () => {
    const x = tf.input({ shape: [4], name: 'x' });
    const h = sym(tf.layers.dense({ units: 3, name: 'first' }), x);
    const y = sym(tf.layers.dense({ units: 2, name: 'second' }), h);
    const model = tf.model({ inputs: x, outputs: [y, h] });
    expect(await parity('outputs reversed', model)).toBeLessThan(1e-4);
    expect(inspectOnnx(await exportOnnx(model)).outputs.map((o) => o.name)).toEqual(['second', 'first']);
  });

  it('shared layer applied at two nodes shares its initializers', async () => {
    const x1 = tf.input({ shape: [4], name: 'x1' });
    const x2 = tf.input({ shape: [4], name: 'x2' });
    const shared = tf.layers.dense({ units: 3, activation: 'sigmoid' });
    const model = tf.model({ inputs: [x1, x2], outputs: sym(tf.layers.multiply(), [sym(shared, x1), sym(shared, x2)]) });
    expect(await parity('shared Dense twice', model)).toBeLessThan(1e-4);
    const info = inspectOnnx(await exportOnnx(model));
    expect(info.parameterCount).toBe(model.countParams());
    expect(info.opHistogram.MatMul).toBe(2);
  });

  it('nested Sequential used as a layer, twice', async () => {
    const inner = tf.sequential({
      layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: 'relu' }), tf.layers.layerNormalization(), tf.layers.dense({ units: 2 })],
    });
    const x = tf.input({ shape: [5] });
    const h = sym(tf.layers.dense({ units: 3 }), x);
    const g = sym(tf.layers.dense({ units: 3 }), x);
    const model = tf.model({ inputs: x, outputs: sym(tf.layers.concatenate(), [sym(inner, h), sym(inner, g)]) });
    expect(await parity('nested Sequential twice', model)).toBeLessThan(1e-4);
    expect(inspectOnnx(await exportOnnx(model)).parameterCount).toBe(model.countParams());
  });

  it('Sequential containing a Sequential', async () => {
    const inner = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: 'elu' }), tf.layers.dropout({ rate: 0.2 })] });
    const model = tf.sequential({ layers: [inner, tf.layers.batchNormalization(), tf.layers.dense({ units: 2, activation: 'softmax' })] });
    expect(await parity('Sequential in Sequential', model)).toBeLessThan(1e-4);
  });

  it('nested functional model with two inputs', async () => {
    const a = tf.input({ shape: [3] });
    const b = tf.input({ shape: [3] });
    const inner = tf.model({ inputs: [a, b], outputs: sym(tf.layers.dense({ units: 2 }), sym(tf.layers.maximum(), [a, b])) });
    const x = tf.input({ shape: [3] });
    const y = tf.input({ shape: [3] });
    const model = tf.model({ inputs: [x, y], outputs: sym(inner, [sym(tf.layers.dense({ units: 3 }), x), y]) });
    expect(await parity('nested functional', model)).toBeLessThan(1e-4);
  });

  it('symbolic non-batch dimensions', async () => {
    const x = tf.input({ shape: [null, 4], name: 'seq' });
    const model = tf.model({ inputs: x, outputs: sym(tf.layers.dense({ units: 2, activation: 'gelu' }), x) });
    expect(await parity('unknown time dimension', model)).toBeLessThan(1e-4);
    expect(inspectOnnx(await exportOnnx(model)).inputs[0].dims).toEqual(['batch', 'seq_dim1', 4]);
  });

  it('a model that only drops out gets an Identity output; a repeated output too', async () => {
    const x = tf.input({ shape: [4], name: 'x' });
    const passthrough = tf.model({ inputs: x, outputs: sym(tf.layers.dropout({ rate: 0.5 }), x) });
    expect(await parity('passthrough (Identity)', passthrough)).toBe(0);
    const io = inspectOnnx(await exportOnnx(passthrough));
    expect(io.outputs.map((o) => o.name)).toEqual([passthrough.outputs[0].sourceLayer.name]);
    expect(io.opHistogram).toEqual({ Identity: 1 });
    const y = sym(tf.layers.dense({ units: 2, name: 'd' }), x);
    // tfjs warns about, and cannot predict, a repeated output; the export still names both.
    const twice = tf.model({ inputs: x, outputs: [y, y] });
    expect(inspectOnnx(await exportOnnx(twice)).outputs.map((o) => o.name)).toEqual(['d', 'd_1']);
  });
});

describe('errors and options', () => {
  it('rejects an unregistered layer class with UnsupportedLayerError', async () => {
    const model = tf.sequential({ layers: [tf.layers.conv1d({ filters: 2, kernelSize: 3, inputShape: [8, 1], name: 'conv' })] });
    const error = await exportOnnx(model).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedLayerError);
    expect((error as UnsupportedLayerError).message).toBe(
      `Cannot export layer 'conv' of class Conv1D to ONNX: no converter is registered for Conv1D. ` +
        `Supported classes: ${[...CORE_CLASSES].sort().join(', ')}.`,
    );
    expect((error as UnsupportedLayerError).layerClass).toBe('Conv1D');
    expect((error as UnsupportedLayerError).layerName).toBe('conv');
  });

  it('rejects opsets outside 13..21', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    for (const opset of [12, 22, 17.5]) {
      await expect(exportOnnx(model, { opset })).rejects.toThrow(OptionError);
    }
    await expect(exportOnnx(model, { opset: 12 })).rejects.toThrow('opset must be an integer from 13 to 21, got 12.');
  });

  it('runs at every opset from 13 to 21 (reductions switch to axes inputs at 18)', async () => {
    for (let opset = 13; opset <= 21; opset++) {
      const x = tf.input({ shape: [3, 4] });
      const h = sym(tf.layers.layerNormalization(), sym(tf.layers.dense({ units: 4, activation: 'logSoftmax' as 'relu' }), x));
      const model = tf.model({ inputs: x, outputs: sym(tf.layers.softmax({ axis: [1, 2] as unknown as number }), h) });
      expect(await parity(`opset ${opset}`, model, { opset })).toBeLessThan(1e-4);
      expect(inspectOnnx(await exportOnnx(model, { opset })).opset).toBe(opset);
    }
  });

  it('writes metadata, producer and IR version', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    const info = inspectOnnx(await exportOnnx(model, { metadata: { family: 'mlp', labels: 'a,b' }, producerVersion: '9.9.9' }));
    expect(info.metadata).toEqual({ family: 'mlp', labels: 'a,b' });
    expect(info.producer).toBe('neurozoo 9.9.9');
    expect(info.irVersion).toBe(8);
    expect(inspectOnnx(await exportOnnx(model, { opset: 21 })).irVersion).toBe(10);
  });
});
