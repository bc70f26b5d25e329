import { initBackend, OptionError, ShapeError } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cnn, lenet5, lenet5Config, mnistNet, mnistNetConfig, multiplyingStages, validateConfig } from '../src/index.js';

beforeAll(() => initBackend({ backend: 'wasm' }));

describe('cnn configurations', () => {
  it('the presets: LeNet-5 (tanh, average pooling, dense 120-84) and the MNIST net (ReLU, max pooling, dropout)', () => {
    const lenet = lenet5Config({ classes: 3, flatInput: true });
    expect(lenet).toMatchObject({ name: 'lenet5', inputShape: [28, 28, 1], dense: [120, 84], classes: 3, flatInput: true });
    expect(lenet.stages.map((s) => [s.filters, s.kernelSize, s.padding ?? 'valid', s.activation, s.pool?.type])).toEqual([
      [6, 5, 'same', 'tanh', 'avg'],
      [16, 5, 'valid', 'tanh', 'avg'],
    ]);
    expect(validateConfig(lenet).map((s) => s.pooled)).toEqual([[14, 14, 6], [5, 5, 16]]);
    const net = mnistNetConfig({ inputShape: [32, 32, 3] });
    expect(net).toMatchObject({ name: 'mnist_net', dense: [128], dropout: 0.25, classes: 10 });
    expect(validateConfig(net).map((s) => s.pooled)).toEqual([[14, 14, 16], [5, 5, 32]]);
  });

  it('computes every stage\'s shapes: maps shrink, channels multiply', () => {
    const stages = multiplyingStages(3, 8);
    expect(stages.map((s) => s.filters)).toEqual([8, 16, 32]);
    expect(validateConfig({ inputShape: [28, 28, 1], stages })).toEqual([
      { conv: [28, 28, 8], pooled: [14, 14, 8] },
      { conv: [14, 14, 16], pooled: [7, 7, 16] },
      { conv: [7, 7, 32], pooled: [3, 3, 32] },
    ]);
  });

  it('names the stage and the shapes when a stage would shrink the map below 1x1', () => {
    const stages = [{ filters: 4, kernelSize: 5, pool: { type: 'max' as const, size: 2 } }, { filters: 8, kernelSize: 5 }];
    expect(() => validateConfig({ inputShape: [12, 12, 1], stages })).toThrow(
      new ShapeError("stage 2: a 5x5 convolution ('valid', strides 1x1) cannot run on a 4x4 feature map: it would give 0x0."),
    );
    expect(() => validateConfig({ inputShape: [5, 5, 1], stages: [{ filters: 2, kernelSize: 5, pool: { type: 'avg', size: 2 } }] })).toThrow(
      new ShapeError('stage 1: a 2x2 avg pool cannot run on the 1x1 map its convolution gives: it would give 0x0.'),
    );
    expect(() => cnn({ inputShape: [8, 8, 1], stages: multiplyingStages(4, 4, 2, 3, 'valid') })).toThrow('stage 2: a 2x2 max pool cannot run on the 1x1 map its convolution gives: it would give 0x0.');
  });

  it('rejects malformed options with what was expected', () => {
    const ok = { inputShape: [8, 8, 1] as [number, number, number], stages: [{ filters: 2, kernelSize: 3 }] };
    expect(() => validateConfig({ ...ok, inputShape: [8, 8] as never })).toThrow(OptionError);
    expect(() => validateConfig({ ...ok, stages: [] })).toThrow(/stages must be a non-empty array/);
    expect(() => validateConfig({ ...ok, stages: [{ filters: 0, kernelSize: 3 }] })).toThrow('stage 1: filters must be a positive integer, got 0.');
    expect(() => validateConfig({ ...ok, stages: [{ filters: 2, kernelSize: 3, padding: 'full' as never }] })).toThrow(/padding must be 'valid' or 'same'/);
    expect(() => validateConfig({ ...ok, stages: [{ filters: 2, kernelSize: 3, pool: { type: 'min' as never, size: 2 } }] })).toThrow(/pool.type must be 'max' or 'avg'/);
    expect(() => validateConfig({ ...ok, dropout: 1 })).toThrow('dropout must be in [0, 1), got 1.');
  });

  it('builds the presets with the expected shapes and sizes', () => {
    const le = lenet5({}, 0);
    expect(le.outputs[0].shape).toEqual([null, 10]);
    expect(le.countParams()).toBe(61706); // 156 + 2416 + 48120 + 10164 + 850
    expect(le.layers.map((l) => l.getClassName())).toEqual(['Conv2D', 'AveragePooling2D', 'Conv2D', 'AveragePooling2D', 'Flatten', 'Dense', 'Dense', 'Dense']);
    const net = mnistNet({ flatInput: true }, 0);
    expect(net.inputs[0].shape).toEqual([null, 784]);
    expect(net.layers.find((l) => l.name === 'flatten')?.outputShape).toEqual([null, 512]);
    const bn = cnn({ inputShape: [16, 16, 3], stages: multiplyingStages(2, 4), batchNorm: true, classes: 3 }, 0);
    expect(bn.layers.map((l) => l.getClassName()).slice(0, 4)).toEqual(['Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D']);
  });

  it('draws the same initial weights for the same seed', () => {
    const a = mnistNet({}, 5).getWeights()[0].dataSync();
    const b = mnistNet({}, 5).getWeights()[0].dataSync();
    const c = mnistNet({}, 6).getWeights()[0].dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });
});
