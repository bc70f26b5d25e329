/**
 * Conv gradients through the public API (tf.grads, tf.layers) on wasm against cpu: the
 * paths training actually takes into the wasm kernels.
 */
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { tf } from '../../src/tf.js';
import { maxRelErr, onBoth, rand, randomData } from './helpers.js';

const TOL = 1e-4;
type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
const PADS: Pad[] = ['valid', 'same', 2, [[0, 0], [2, 1], [1, 0], [0, 0]]];

/** Gradients of sum(op(x, f) * r) for random r, i.e. the backprop kernels with dy = r. */
function gradsOf(op: (...ts: tf.Tensor4D[]) => tf.Tensor4D, shapes: number[][]): tf.Tensor[] {
  const inputs = shapes.map((s, i) => rand(s, i + 1) as tf.Tensor4D);
  const outShape = op(...inputs).shape;
  const r = rand(outShape, 99);
  return tf.grads((...ts: tf.Tensor[]) => tf.sum(tf.mul(op(...(ts as tf.Tensor4D[])), r)))(inputs);
}

describe('tf.grads on wasm equal cpu', () => {
  for (const s of [1, 2, 3]) {
    for (const pad of PADS) {
      const name = `strides ${s}, pad ${JSON.stringify(pad)}`;
      it(`conv2d, ${name}`, async () => {
        // Numeric pads only with square filters: tfjs 4.22 sizes the output width from the
        // filter height there, and wasm's forward Conv2D then writes out of bounds.
        const fw = typeof pad === 'number' ? 3 : 2;
        const r = await onBoth(() => gradsOf((x, f) => tf.conv2d(x, f, s, pad), [[3, 10, 9, 3], [3, fw, 3, 5]]));
        expect(maxRelErr(r)).toBeLessThan(TOL);
      });
      it(`depthwiseConv2d (multiplier 2), ${name}`, async () => {
        const r = await onBoth(() => gradsOf((x, f) => tf.depthwiseConv2d(x, f, s, pad), [[2, 11, 8, 3], [3, 3, 3, 2]]));
        expect(maxRelErr(r)).toBeLessThan(TOL);
      });
      if (typeof pad === 'string') {
        it(`separableConv2d, ${name}`, async () => {
          const op = (x: tf.Tensor4D, d: tf.Tensor4D, p: tf.Tensor4D) => tf.separableConv2d(x, d, p, s, pad);
          // Filter >= stride: wasm's forward convs get 'same' wrong when the filter is smaller.
          const r = await onBoth(() => gradsOf(op, [[2, 9, 9, 4], [3, 3, 4, 3], [1, 1, 12, 6]]));
          expect(maxRelErr(r)).toBeLessThan(TOL);
        });
        it(`conv2dTranspose, ${name}`, async () => {
          const op = (x: tf.Tensor4D, f: tf.Tensor4D) => tf.conv2dTranspose(x, f, [2, 4 * s, 3 * s + 1, 3], s, pad);
          const r = await onBoth(() => {
            const shape = tf.conv2d(tf.zeros([2, 4 * s, 3 * s + 1, 3]) as tf.Tensor4D, tf.zeros([3, 3, 3, 5]) as tf.Tensor4D, s, pad).shape;
            return gradsOf(op, [shape, [3, 3, 3, 5]]);
          });
          expect(maxRelErr(r)).toBeLessThan(TOL);
        });
      }
    }
  }
  it('depthwiseConv2d with dilation 2 (forward dilated, gradient through the kernels)', async () => {
    // tfjs's gradient asserts dilation 1 for depthwise; stride 1 + dilation 1 still covers
    // multiplier 3 and a 5x5 filter here.
    const r = await onBoth(() => gradsOf((x, f) => tf.depthwiseConv2d(x, f, 1, 'same'), [[1, 12, 12, 2], [5, 5, 2, 3]]));
    expect(maxRelErr(r)).toBeLessThan(TOL);
  });
});

/** A small CNN with every conv layer kind, weights filled deterministically. */
function cnn(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'valid', activation: 'tanh' }));
  m.add(tf.layers.separableConv2d({ filters: 5, kernelSize: 2, padding: 'same' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 3 }));
  m.setWeights(m.getWeights().map((w, i) => tf.tensor(randomData(w.size, 100 + i).map((v) => v * 0.5), w.shape)));
  return m;
}

describe('tf.layers CNN on wasm equals cpu', () => {
  it('loss gradients of every weight', async () => {
    const r = await onBoth(() => {
      const m = cnn();
      const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(() => tf.losses.meanSquaredError(rand([2, 3], 8), m.apply(rand([2, 12, 12, 3], 7)) as tf.Tensor) as tf.Scalar, vars);
      const out = vars.map((v) => grads[v.name]);
      m.dispose();
      return out;
    });
    expect(r.wasm.length).toBe(9);
    expect(maxRelErr(r)).toBeLessThan(TOL);
  });

  it('weights after model.fit with sgd', async () => {
    const out: Record<string, Float32Array[]> = {};
    for (const backend of ['cpu', 'wasm'] as const) {
      await initBackend({ backend });
      const m = cnn();
      m.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      const [x, y] = [rand([8, 12, 12, 3], 7), rand([8, 3], 8)];
      await m.fit(x, y, { batchSize: 4, epochs: 2, shuffle: false, verbose: 0 });
      out[backend] = m.getWeights().map((w) => w.dataSync() as Float32Array);
      tf.dispose([x, y]);
      m.dispose();
    }
    expect(maxRelErr({ cpu: out.cpu, wasm: out.wasm })).toBeLessThan(TOL);
  });
});
