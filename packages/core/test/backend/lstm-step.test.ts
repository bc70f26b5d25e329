/**
 * The LSTM step kernels (the elementwise half of one fused LSTM step): the forward against the
 * gate equations written out, the backward against central differences of the forward, and
 * ensureLstmKernels registering both for the cpu backend, where runKernel matches the loops.
 */
import { describe, expect, it } from 'vitest';
import { ensureLstmKernels, initBackend, LSTM_STEP, LSTM_STEP_GRAD, type LstmStepAttrs, lstmStepBackward, lstmStepForward } from '../../src/backend/index.js';
import { tf } from '../../src/tf.js';
import { randomData, relErr } from './helpers.js';

const B = 2;
const H = 3;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** h, c, acts of one step at step 0 with r = 0 (xp holds the whole pre-activation). */
function forward(xp: Float32Array, cPrev: Float32Array, gate: LstmStepAttrs['gate']) {
  const h = new Float32Array(B * H);
  const c = new Float32Array(B * H);
  const acts = new Float32Array(B * 5 * H);
  lstmStepForward(xp, new Float32Array(B * 4 * H), cPrev, B, H, { step: 0, gate }, h, c, acts);
  return { h, c, acts };
}

describe('lstmStepForward', () => {
  it('computes c = f·cPrev + i·g and h = o·tanh(c) with gates i, f, g, o in Keras order, at the given step', () => {
    const xp = randomData(2 * B * 4 * H, 1); // two steps; step 1 is read
    const r = randomData(B * 4 * H, 2);
    const cPrev = randomData(B * H, 3);
    const h = new Float32Array(B * H);
    const c = new Float32Array(B * H);
    const acts = new Float32Array(B * 5 * H);
    lstmStepForward(xp, r, cPrev, B, H, { step: 1, gate: 'sigmoid' }, h, c, acts);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const z = (k: number) => xp[B * 4 * H + b * 4 * H + k * H + j] + r[b * 4 * H + k * H + j];
        const cj = sigmoid(z(1)) * cPrev[b * H + j] + sigmoid(z(0)) * Math.tanh(z(2));
        expect(c[b * H + j]).toBeCloseTo(cj, 6);
        expect(h[b * H + j]).toBeCloseTo(sigmoid(z(3)) * Math.tanh(cj), 6);
        expect(acts[b * 5 * H + 4 * H + j]).toBeCloseTo(Math.tanh(cj), 6);
      }
    }
  });

  it("uses tfjs's hardSigmoid clip(0.2 z + 0.5, 0, 1) when asked", () => {
    const xp = new Float32Array(B * 4 * H).fill(1);
    xp[0] = 4; // input gate of row 0, unit 0 saturates at 1
    const { acts } = forward(xp, new Float32Array(B * H), 'hardSigmoid');
    expect(acts[0]).toBe(1);
    expect(acts[1]).toBeCloseTo(0.7, 6);
  });
});

describe('lstmStepBackward', () => {
  it.each(['sigmoid', 'hardSigmoid'] as const)('(%s) equals central differences of loss = sum(wh·h) + sum(wc·c)', (gate) => {
    const xp = randomData(B * 4 * H, 4);
    const cPrev = randomData(B * H, 5);
    const wh = randomData(B * H, 6);
    const wc = randomData(B * H, 7);
    const loss = (x: Float32Array, cp: Float32Array) => {
      const { h, c } = forward(x, cp, gate);
      return h.reduce((s, v, k) => s + v * wh[k], 0) + c.reduce((s, v, k) => s + v * wc[k], 0);
    };
    const { acts } = forward(xp, cPrev, gate);
    const dz = new Float32Array(B * 4 * H);
    const dcPrev = new Float32Array(B * H);
    lstmStepBackward(acts, cPrev, wh, null, wc, 0, B, H, { step: 0, gate }, dz, dcPrev);
    const numeric = (x: Float32Array, k: number, other: (v: Float32Array) => number) => {
      const eps = 1e-2;
      const plus = Float32Array.from(x);
      const minus = Float32Array.from(x);
      plus[k] += eps;
      minus[k] -= eps;
      return (other(plus) - other(minus)) / (2 * eps);
    };
    const dzNum = Float32Array.from(xp, (_, k) => numeric(xp, k, (v) => loss(v, cPrev)));
    const dcNum = Float32Array.from(cPrev, (_, k) => numeric(cPrev, k, (v) => loss(xp, v)));
    expect(relErr(dz, dzNum)).toBeLessThan(2e-3);
    expect(relErr(dcPrev, dcNum)).toBeLessThan(2e-3);
  });
});

describe('ensureLstmKernels', () => {
  it('registers both kernels on cpu; runKernel then equals the loops', async () => {
    await initBackend({ backend: 'cpu' });
    expect(ensureLstmKernels()).toBe(true);
    expect(tf.getKernel(LSTM_STEP, 'cpu')).toBeDefined();
    expect(tf.getKernel(LSTM_STEP_GRAD, 'cpu')).toBeDefined();
    const xp = randomData(B * 4 * H, 8);
    const cPrev = randomData(B * H, 9);
    const expected = forward(xp, cPrev, 'sigmoid');
    const [h, c, acts] = tf.engine().runKernel(
      LSTM_STEP,
      { xp: tf.tensor3d(xp, [1, B, 4 * H]), r: tf.zeros([B, 4 * H]), cPrev: tf.tensor2d(cPrev, [B, H]) },
      { step: 0, gate: 'sigmoid' } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
    expect(h.dataSync()).toEqual(expected.h);
    expect(c.dataSync()).toEqual(expected.c);
    expect(acts.dataSync()).toEqual(expected.acts);
  });
});
