/**
 * Parity of the 2-D feature-map converters (convolutions, pooling, padding, cropping,
 * upsampling) and of the layers that stay channel-first after them, with the layout rule:
 * one Transpose into NCHW at the first conv-family layer and one back out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptionError, ShapeError } from '../../src/errors.js';
import { decodeOnnx, exportOnnx, supportedLayerClasses } from '../../src/onnx/index.js';
import { Rng } from '../../src/random.js';
import { tf } from '../../src/tf.js';
import { parity, report, useWasm } from './helpers.js';

const L = tf.layers;

beforeAll(useWasm);
afterAll(() => report('conv'));

const seq = (inputShape: number[], layers: tf.layers.Layer[]) => {
  const m = tf.sequential();
  m.add(L.inputLayer({ inputShape }));
  for (const l of layers) m.add(l);
  return m;
};
const opTypes = async (model: tf.LayersModel) => (decodeOnnx(await exportOnnx(model)).graph?.node ?? []).map((n) => n.opType as string);

describe('feature-map converters: parity with tfjs and the ONNX checker', () => {
  it('core converts every conv/pool layer class without a family', () => {
    expect(supportedLayerClasses()).toEqual(expect.arrayContaining([
      'AveragePooling2D', 'BatchNormalization', 'Conv2D', 'Cropping2D', 'DepthwiseConv2D', 'GlobalAveragePooling2D',
      'GlobalMaxPooling2D', 'MaxPooling2D', 'SeparableConv2D', 'UpSampling2D', 'ZeroPadding2D',
    ]));
  });

  it.each([
    ['valid, bias, relu', { filters: 4, kernelSize: 3 }],
    ['same, no bias', { filters: 5, kernelSize: [3, 2], padding: 'same', useBias: false }],
    ['strides 2 same (odd padding after)', { filters: 3, kernelSize: 4, strides: 2, padding: 'same' }],
    ['strides [2, 1] valid, tanh', { filters: 3, kernelSize: 3, strides: [2, 1], activation: 'tanh' }],
    ['dilation 2 same', { filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same' }],
    ['dilation [2, 3] valid', { filters: 2, kernelSize: 2, dilationRate: [2, 3] }],
    ['softmax activation (channel axis)', { filters: 4, kernelSize: 1, activation: 'softmax' }],
  ] as const)('Conv2D %s', async (label, args) => {
    expect(await parity(`Conv2D ${label}`, seq([9, 11, 3], [L.conv2d({ activation: 'relu', ...(args as object) } as never)]))).toBeLessThan(1e-4);
  });

  it.each([
    ['multiplier 1 valid', { kernelSize: 3 }],
    ['multiplier 2 same strides 2, no bias', { kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2, useBias: false }],
  ] as const)('DepthwiseConv2D %s', async (label, args) => {
    expect(await parity(`DepthwiseConv2D ${label}`, seq([8, 7, 3], [L.depthwiseConv2d(args as never)]))).toBeLessThan(1e-4);
  });

  it.each([
    ['valid', { filters: 5, kernelSize: 3 }],
    ['same, multiplier 2, strides 2, relu', { filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2, activation: 'relu' }],
    ['dilation 2, no bias', { filters: 3, kernelSize: 2, dilationRate: 2, useBias: false }],
  ] as const)('SeparableConv2D %s', async (label, args) => {
    expect(await parity(`SeparableConv2D ${label}`, seq([9, 9, 3], [L.separableConv2d(args as never)]))).toBeLessThan(1e-4);
  });

  it.each([
    ['MaxPooling2D valid 2', () => L.maxPooling2d({ poolSize: 2 })],
    ['MaxPooling2D same 3 strides 2', () => L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' })],
    ['AveragePooling2D valid [2, 3]', () => L.averagePooling2d({ poolSize: [2, 3] })],
    ['AveragePooling2D same 3 strides 2 (padding excluded)', () => L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' })],
    ['GlobalAveragePooling2D', () => L.globalAveragePooling2d({})],
    ['GlobalMaxPooling2D', () => L.globalMaxPooling2d({})],
    ['ZeroPadding2D [[1, 2], [0, 3]]', () => L.zeroPadding2d({ padding: [[1, 2], [0, 3]] })],
    ['Cropping2D [[1, 0], [2, 1]]', () => L.cropping2D({ cropping: [[1, 0], [2, 1]] })],
    ['UpSampling2D nearest [2, 3]', () => L.upSampling2d({ size: [2, 3] })],
    ['UpSampling2D bilinear 2', () => L.upSampling2d({ size: [2, 2], interpolation: 'bilinear' })],
  ])('%s alone and after a convolution', async (label, make) => {
    expect(await parity(`${label} alone`, seq([7, 9, 2], [make()]))).toBeLessThan(1e-4);
    const head = make().getClassName().startsWith('Global') ? [] : [L.flatten()];
    expect(await parity(`${label} after conv`, seq([7, 9, 2], [L.conv2d({ filters: 3, kernelSize: 2 }), make(), ...head, L.dense({ units: 3 })]))).toBeLessThan(1e-4);
  });

  it('BatchNormalization after a convolution stays channel-first (no Transpose between them)', async () => {
    const m = seq([8, 8, 3], [L.conv2d({ filters: 4, kernelSize: 3, useBias: false }), L.batchNormalization(), L.activation({ activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }), L.flatten(), L.dense({ units: 5, activation: 'softmax' })]);
    expect(await parity('BatchNormalization after conv', m)).toBeLessThan(1e-4);
    const ops = await opTypes(m);
    expect(ops.filter((o) => o === 'Transpose')).toHaveLength(2);
    expect(ops).not.toContain('BatchNormalization'); // folded into Mul + Add
  });

  it('residual Add, channel Concatenate and a conv model output (NHWC) export with parity', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const a = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input) as tf.SymbolicTensor;
    const b = L.conv2d({ filters: 4, kernelSize: 1 }).apply(input) as tf.SymbolicTensor;
    const sum = L.add().apply([a, b]) as tf.SymbolicTensor;
    const cat = L.concatenate().apply([sum, input]) as tf.SymbolicTensor;
    const out = L.conv2d({ filters: 2, kernelSize: 3 }).apply(cat) as tf.SymbolicTensor;
    const pooled = L.globalAveragePooling2d({}).apply(sum) as tf.SymbolicTensor;
    expect(await parity('residual + concat, two outputs', tf.model({ inputs: input, outputs: [out, pooled] }))).toBeLessThan(1e-4);
  });

  it('random configurations (seeded) keep parity', async () => {
    const rng = new Rng(2024);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng.next() * xs.length)];
    for (let trial = 0; trial < 6; trial++) {
      const layers: tf.layers.Layer[] = [];
      const start = pick([12, 15, 16]);
      let size = start;
      for (let s = 0; s < 2; s++) {
        const k = pick([1, 2, 3]);
        const padding = pick(['valid', 'same'] as const);
        const strides = size > 8 ? pick([1, 2]) : 1;
        const kind = pick(['conv', 'conv', 'depthwise', 'separable'] as const);
        if (kind === 'conv') layers.push(L.conv2d({ filters: pick([2, 4]), kernelSize: k, padding, strides, useBias: rng.next() < 0.5, activation: pick(['relu', 'linear', 'elu'] as const) }));
        else if (kind === 'depthwise') layers.push(L.depthwiseConv2d({ kernelSize: k, padding, strides, depthMultiplier: pick([1, 2]) }));
        else layers.push(L.separableConv2d({ filters: 3, kernelSize: k, padding, strides }));
        size = padding === 'same' ? Math.ceil(size / strides) : Math.floor((size - k) / strides) + 1;
        if (rng.next() < 0.5) layers.push(L.batchNormalization());
        if (size >= 4) {
          layers.push(rng.next() < 0.5 ? L.maxPooling2d({ poolSize: 2, padding }) : L.averagePooling2d({ poolSize: 2, padding }));
          size = padding === 'same' ? Math.ceil(size / 2) : Math.floor(size / 2);
        }
      }
      layers.push(rng.next() < 0.5 ? L.flatten() : L.globalAveragePooling2d({}), L.dense({ units: 4, activation: 'softmax' }));
      expect(await parity(`random ${trial}`, seq([start, start, pick([1, 3])], layers), { seed: trial })).toBeLessThan(1e-4);
    }
  });
});

describe('feature-map converters: what they refuse', () => {
  it('a channelsFirst layer is an OptionError naming the layer', async () => {
    const model = seq([3, 8, 8], [L.maxPooling2d({ poolSize: 2, dataFormat: 'channelsFirst', name: 'cf_pool' })]);
    const failure = exportOnnx(model);
    await expect(failure).rejects.toBeInstanceOf(OptionError);
    await expect(failure).rejects.toThrow("Layer 'cf_pool': dataFormat 'channelsFirst' is not exported; build the model channelsLast (NHWC), the tfjs default.");
  });

  it('a convolution over maps of unknown height and width is a ShapeError naming the layer', async () => {
    const model = seq([null, null, 3] as unknown as number[], [L.conv2d({ filters: 2, kernelSize: 3, padding: 'same', name: 'dyn_conv' })]);
    const failure = exportOnnx(model);
    await expect(failure).rejects.toBeInstanceOf(ShapeError);
    await expect(failure).rejects.toThrow("Layer 'dyn_conv': ONNX export needs a rank-4 NHWC input with known height and width, got [null,null,null,3].");
  });
});
