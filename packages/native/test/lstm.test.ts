/** The C++ LSTM step kernels against the same step written with tf ops on cpu (and its gradient). */
import { describe, expect, it } from 'vitest';
import { rand, skip, tf } from './helpers.js';

type Gate = 'sigmoid' | 'hardSigmoid';
const act = (z: tf.Tensor, gate: Gate) => (gate === 'sigmoid' ? tf.sigmoid(z) : tf.clipByValue(tf.add(tf.mul(z, 0.2), 0.5), 0, 1));

/** One LSTM step from pre-activations z [B, 4H] and cPrev [B, H] with tf ops: [h, c, acts]. */
function reference(z: tf.Tensor2D, cPrev: tf.Tensor2D, gate: Gate): tf.Tensor[] {
  const [zi, zf, zg, zo] = tf.split(z, 4, 1);
  const [i, f, g, o] = [act(zi, gate), act(zf, gate), tf.tanh(zg), act(zo, gate)];
  const c = tf.add(tf.mul(f, cPrev), tf.mul(i, g));
  const tc = tf.tanh(c);
  return [tf.mul(o, tc), c, tf.concat([i, f, g, o, tc], 1)];
}

const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: object) =>
  tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as unknown as tf.Tensor[];

describe.skipIf(skip)('native LSTM step kernels', () => {
  for (const gate of ['sigmoid', 'hardSigmoid'] as const) {
    for (const [S, B, H] of [[3, 2, 5], [4, 32, 128], [2, 7, 33]]) {
      it(`forward and backward, ${gate}, S ${S} B ${B} H ${H}`, async () => {
        await tf.setBackend('native');
        const step = S - 2;
        tf.tidy(() => {
          // Scaled so gates saturate sometimes (hardSigmoid's flat parts included).
          const xp = tf.mul(rand([S, B, 4 * H], 1), 3);
          const r = tf.mul(rand([B, 4 * H], 2), 2);
          const cPrevAll = rand([S, B, H], 4);
          const cPrev = tf.reshape(tf.slice(cPrevAll, [step, 0, 0], [1, B, H]), [B, H]) as tf.Tensor2D;
          const [h, c, acts] = run('NeurozooLstmStep', { xp, r, cPrev }, { step, gate });
          const z = tf.add(tf.reshape(tf.slice(xp, [step, 0, 0], [1, B, 4 * H]), [B, 4 * H]), r) as tf.Tensor2D;
          const [hRef, cRef, actsRef] = reference(z, cPrev, gate);
          expect(maxAbs(h, hRef)).toBeLessThan(2e-6);
          expect(maxAbs(c, cRef)).toBeLessThan(2e-6);
          expect(maxAbs(acts, actsRef)).toBeLessThan(2e-6);

          // Backward: the step's vector-Jacobian product for gradients dh (h) and dc (c).
          const actsAll = tf.tensor(tf.concat([tf.zeros([step * B, 5 * H]), acts, tf.zeros([(S - step - 1) * B, 5 * H])], 0).dataSync(), [S, B, 5 * H]);
          const dSeq = rand([S + 1, B, H], 5);
          const dh = rand([B, H], 6);
          const dcNext = rand([B, H], 7);
          const dhTotal = tf.add(tf.reshape(tf.slice(dSeq, [step, 0, 0], [1, B, H]), [B, H]), dh);
          for (const last of [false, true]) {
            const inputs: Record<string, tf.Tensor> = { acts: actsAll, cPrev: cPrevAll, dSeq };
            if (!last) Object.assign(inputs, { dh, dcNext });
            const [dz, dcPrev] = run('NeurozooLstmStepGrad', inputs, { step, gate });
            const dhUsed = last ? tf.reshape(tf.slice(dSeq, [step, 0, 0], [1, B, H]), [B, H]) : dhTotal;
            const dcUsed = last ? tf.reshape(tf.slice(dSeq, [S, 0, 0], [1, B, H]), [B, H]) : dcNext;
            const f = (zz: tf.Tensor, cc: tf.Tensor) => {
              const [hh, c2] = reference(zz as tf.Tensor2D, cc as tf.Tensor2D, gate);
              return tf.add(tf.sum(tf.mul(hh, dhUsed)), tf.sum(tf.mul(c2, dcUsed)));
            };
            const [dzRef, dcRef] = tf.grads(f)([z, cPrev]);
            expect(maxAbs(dz, dzRef)).toBeLessThan(1e-5);
            expect(maxAbs(dcPrev, dcRef)).toBeLessThan(1e-5);
          }
        });
      });
    }
  }
});
