import { decodeOnnx, exportOnnx, initBackend, tf } from '@neurozoo/core';
import { createSession } from '@neurozoo/core/runtime';
import { checkOnnx, expectOnnxParity, randomInputs, randomizeWeights } from '@neurozoo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCnnOnnx, lenet5, mnistNet, PREPROCESSING_KEY } from '../src/index.js';

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

// Each conv/pool converter's parity is tested in core (test/onnx/conv.test.ts); here, this
// family's networks.
describe('the CNN presets export with parity', () => {
  it('a conv/pool chain has one Transpose in and one out; the flatten order is tfjs\'s', async () => {
    const bytes = await parity('mnistNet', mnistNet({}, 1));
    expect(opTypes(bytes).filter((o) => o === 'Transpose')).toHaveLength(2);
    await parity('LeNet-5', lenet5({}, 1));
    await parity('mnistNet with flat input', mnistNet({ flatInput: true }, 1));
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
