import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getConverter, initBackend, loadModel, saveModel, tf } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { RBM, RBM_DBN_CONVERTERS, RbmHidden } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('RBM_DBN_CONVERTERS', () => {
  it('holds the RbmHidden converter, registered with core when the package loads', () => {
    expect(Object.keys(RBM_DBN_CONVERTERS)).toEqual([RbmHidden.className]);
    expect(getConverter('RbmHidden')).toBe(RBM_DBN_CONVERTERS.RbmHidden);
  });
});

describe('RbmHidden', () => {
  it('is Dense(sigmoid) that keeps the visible bias through saveModel/loadModel (what `neurozoo inspect` loads)', async () => {
    const rbm = new RBM({ visible: 12, hidden: 5, initStd: 0.5, seed: 4 });
    rbm.vb.assign(tf.linspace(-1, 1, 12));
    const model = rbm.transformModel();
    const x = tf.randomUniform([3, 12], 0, 1, 'float32', 2) as tf.Tensor2D;
    const expected = rbm.transform(x);
    const dir = join(mkdtempSync(join(tmpdir(), 'nz-rbm-layer-')), 'tfjs');
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const layer = loaded.layers.find((l) => l instanceof RbmHidden) as RbmHidden;
    expect(layer.visibleType).toBe('bernoulli');
    const back = RBM.fromLayer(layer);
    expect(Array.from(back.vb.dataSync())).toEqual(Array.from(rbm.vb.dataSync()));
    const got = (loaded.predict(x) as tf.Tensor).dataSync();
    expected.dataSync().forEach((v, i) => expect(Math.abs(v - got[i])).toBeLessThan(1e-6));
    expect([loaded.trainableWeights.length, loaded.weights.length]).toEqual([2, 3]); // visible_bias is not trained by backprop
    tf.dispose([x, expected]);
    rbm.dispose();
    back.dispose();
  });
});
