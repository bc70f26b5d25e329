import { decodeOnnx, exportOnnx, initBackend, Rng, tf } from '@neurozoo/core';
import { createSession } from '@neurozoo/core/runtime';
import { checkOnnx, expectOnnxParity, randomInputs, randomizeWeights } from '@neurozoo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCnnOnnx, lenet5, mnistNet, PREPROCESSING_KEY, registerCnnConverters } from '../src/index.js';

const L = tf.layers;
const measured = new Map<string, number>();

beforeAll(() => initBackend({ backend: 'wasm' }));
afterAll(() => {
  const worst = Math.max(...measured.values());
  console.log(`ONNX parity (max abs error, batch 1 and 3, checker passed): worst ${worst.toExponential(2)} over ${measured.size} models`);
});

/** Randomised weights, then parity at batch 1 and 3 (tol 1e-4) with the ONNX checker. */
async function parity(label: string, model: tf.LayersModel, seed = 7): Promise<Uint8Array> {
  randomizeWeights(model, seed);
  let bytes: Uint8Array = new Uint8Array();
  for (const batch of [1, 3]) {
    const xs = randomInputs(model, batch, seed + batch);
    const r = await expectOnnxParity(model, xs, { tol: 1e-4, check: batch === 1 });
    measured.set(label, Math.max(measured.get(label) ?? 0, r.maxAbsError));
    bytes = r.bytes;
    tf.dispose(xs);
  }
  return bytes;
}

const seq = (inputShape: number[], layers: tf.layers.Layer[]) => {
  const m = tf.sequential();
  m.add(L.inputLayer({ inputShape }));
  for (const l of layers) m.add(l);
  return m;
};
const opTypes = (bytes: Uint8Array) => (decodeOnnx(bytes).graph?.node ?? []).map((n) => n.opType as string);

describe('converters: parity with tfjs and the ONNX checker', () => {
  it('registers every conv/pool layer class once', () => {
    expect(registerCnnConverters()).toEqual(expect.arrayContaining([
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
    await parity(`Conv2D ${label}`, seq([9, 11, 3], [L.conv2d({ activation: 'relu', ...(args as object) } as never)]));
  });

  it.each([
    ['multiplier 1 valid', { kernelSize: 3 }],
    ['multiplier 2 same strides 2, no bias', { kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2, useBias: false }],
  ] as const)('DepthwiseConv2D %s', async (label, args) => {
    await parity(`DepthwiseConv2D ${label}`, seq([8, 7, 3], [L.depthwiseConv2d(args as never)]));
  });

  it.each([
    ['valid', { filters: 5, kernelSize: 3 }],
    ['same, multiplier 2, strides 2, relu', { filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2, activation: 'relu' }],
    ['dilation 2, no bias', { filters: 3, kernelSize: 2, dilationRate: 2, useBias: false }],
  ] as const)('SeparableConv2D %s', async (label, args) => {
    await parity(`SeparableConv2D ${label}`, seq([9, 9, 3], [L.separableConv2d(args as never)]));
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
    await parity(`${label} alone`, seq([7, 9, 2], [make()]));
    const head = make().getClassName().startsWith('Global') ? [] : [L.flatten()];
    await parity(`${label} after conv`, seq([7, 9, 2], [L.conv2d({ filters: 3, kernelSize: 2 }), make(), ...head, L.dense({ units: 3 })]));
  });

  it('BatchNormalization after a convolution stays channel-first (no Transpose between them)', async () => {
    const m = seq([8, 8, 3], [L.conv2d({ filters: 4, kernelSize: 3, useBias: false }), L.batchNormalization(), L.activation({ activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }), L.flatten(), L.dense({ units: 5, activation: 'softmax' })]);
    const bytes = await parity('BatchNormalization after conv', m);
    expect(opTypes(bytes).filter((o) => o === 'Transpose')).toHaveLength(2);
    expect(opTypes(bytes)).not.toContain('BatchNormalization'); // folded into Mul + Add
  });

  it('a conv/pool chain has one Transpose in and one out; the flatten order is tfjs\'s', async () => {
    const bytes = await parity('mnistNet', mnistNet({}, 1));
    expect(opTypes(bytes).filter((o) => o === 'Transpose')).toHaveLength(2);
    await parity('LeNet-5', lenet5({}, 1));
    await parity('mnistNet with flat input', mnistNet({ flatInput: true }, 1));
  });

  it('residual Add, channel Concatenate and a conv model output (NHWC) export with parity', async () => {
    const input = tf.input({ shape: [8, 8, 3] });
    const a = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input) as tf.SymbolicTensor;
    const b = L.conv2d({ filters: 4, kernelSize: 1 }).apply(input) as tf.SymbolicTensor;
    const sum = L.add().apply([a, b]) as tf.SymbolicTensor;
    const cat = L.concatenate().apply([sum, input]) as tf.SymbolicTensor;
    const out = L.conv2d({ filters: 2, kernelSize: 3 }).apply(cat) as tf.SymbolicTensor;
    const pooled = L.globalAveragePooling2d({}).apply(sum) as tf.SymbolicTensor;
    await parity('residual + concat, two outputs', tf.model({ inputs: input, outputs: [out, pooled] }));
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
      await parity(`random ${trial}`, seq([start, start, pick([1, 3])], layers), trial);
    }
  });
});

describe('exportCnnOnnx', () => {
  it("inputLayout 'NCHW' takes [batch, C, H, W] without the boundary Transpose and matches tfjs", async () => {
    const model = seq([6, 7, 3], [L.conv2d({ filters: 4, kernelSize: 3 }), L.maxPooling2d({ poolSize: 2 }), L.flatten(), L.dense({ units: 3 })]);
    randomizeWeights(model, 3);
    const bytes = await exportCnnOnnx(model, { inputLayout: 'NCHW' });
    checkOnnx(bytes);
    const m = decodeOnnx(bytes);
    expect(m.graph?.input?.[0].type?.tensorType?.shape?.dim?.map((d) => d.dimValue?.toString() ?? d.dimParam)).toEqual(['batch', '3', '6', '7']);
    expect(opTypes(bytes).filter((o) => o === 'Transpose')).toHaveLength(1);
    expect(JSON.parse(m.metadataProps.find((p) => p.key === PREPROCESSING_KEY)?.value ?? '{}').layout).toBe('NCHW');
    const x = tf.randomNormal([2, 6, 7, 3]);
    const nchw = x.transpose([0, 3, 1, 2]);
    const session = await createSession(bytes, { devices: ['cpu'] });
    const out = await session.run({ data: nchw.dataSync() as Float32Array, dims: [2, 3, 6, 7] });
    const want = (model.predict(x) as tf.Tensor).dataSync();
    const got = out[session.outputs[0].name].data as Float32Array;
    const err = Math.max(...Array.from(want, (v, i) => Math.abs(v - got[i])));
    measured.set('NCHW input', err);
    expect(err).toBeLessThan(1e-4);
    await session.release();
    tf.dispose([x, nchw]);
  });

  it('rejects channelsFirst layers and NCHW for non-image inputs with clear errors', async () => {
    const cf = seq([3, 8, 8], [L.maxPooling2d({ poolSize: 2, dataFormat: 'channelsFirst' })]);
    await expect(exportOnnx(cf)).rejects.toThrow(/dataFormat 'channelsFirst' is not exported/);
    const flat = mnistNet({ flatInput: true }, 0);
    await expect(exportCnnOnnx(flat, { inputLayout: 'NCHW', preprocessing: { height: 28, width: 28 } })).rejects.toThrow(/needs one rank-4 input/);
    await expect(exportCnnOnnx(flat)).rejects.toThrow(/needs height, width and channels/);
  });
});
