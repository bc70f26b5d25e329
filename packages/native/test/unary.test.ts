/** Unary ops and the Cast storage fix against the cpu backend. */
import { describe, expect, it } from 'vitest';
import { maxRelErr, onBoth, rand, skip, status, tf } from './helpers.js';

/** Values with every edge the ops must agree on: NaN, ±Infinity, ±0, large and tiny magnitudes. */
const edges = [Number.NaN, Infinity, -Infinity, 0, -0, 1e-30, -1e-30, 1e-4, -1e-4, 0.5, -0.5, 1, -1, 6, 7, 20, -20, 88, 89, -87, -88, -100, 1e30];

/** Per-element relative error (NaN and infinities must match exactly). */
function elementwiseErr(r: { cpu: Float32Array[]; native: Float32Array[] }): number {
  let worst = 0;
  r.cpu.forEach((c, i) => {
    c.forEach((v, j) => {
      const n = r.native[i][j];
      if (Number.isNaN(v) || !Number.isFinite(v)) {
        if (!Object.is(v, n) && !(Number.isNaN(v) && Number.isNaN(n))) worst = Infinity;
        return;
      }
      // Absolute below 1e-6: cpu's exp(-1e-30) - 1 in float64 is 0, the addon's expm1 -1e-30.
      worst = Math.max(worst, Math.abs(n - v) / Math.max(Math.abs(v), 1e-6));
    });
  });
  return worst;
}

describe.skipIf(skip)('native unary kernels equal cpu', () => {
  // [name, op, tolerance, positive inputs only for the random tensor]
  const ops: [string, (x: tf.Tensor) => tf.Tensor, number, boolean?][] = [
    ['relu', tf.relu, 0],
    ['relu6', tf.relu6, 0],
    ['step (relu gradient)', (x) => tf.step(x, 0.3), 0],
    ['sigmoid', tf.sigmoid, 1e-6],
    ['tanh', tf.tanh, 1e-6],
    ['exp', tf.exp, 1e-6],
    ['log', tf.log, 1e-6, true],
    ['sqrt', tf.sqrt, 1e-6, true],
    ['rsqrt', tf.rsqrt, 1e-6, true],
    ['square', tf.square, 0],
    ['neg', tf.neg, 0],
    ['abs', tf.abs, 0],
    ['floor', tf.floor, 0],
    ['elu', tf.elu, 1e-6],
    // cpu multiplies by alpha in float64, the addon in float32: one rounding apart.
    ['leakyRelu', (x) => tf.leakyRelu(x, 0.1), 1e-7],
    ['reciprocal', tf.reciprocal, 1e-6],
    ['clipByValue', (x) => tf.clipByValue(x, -0.5, 6), 0],
  ];
  for (const [name, op, tol, positive] of ops) {
    it(`${name}: edge values and 100k random values (threaded)`, async () => {
      const edge = await onBoth(() => op(tf.tensor1d(edges)));
      expect(elementwiseErr(edge)).toBeLessThanOrEqual(tol);
      const big = await onBoth(() => op(tf.mul(positive ? tf.abs(rand([100, 1000], 1)) : rand([100, 1000], 1), 10)));
      expect(maxRelErr(big)).toBeLessThanOrEqual(tol);
    });
  }

  it('keeps int32 inputs on the cpu kernels', async () => {
    const r = await onBoth(() => tf.cast(tf.abs(tf.tensor1d([-3, 2, -1], 'int32')), 'float32'));
    expect(Array.from(r.native[0])).toEqual([3, 2, 1]);
  });

  it('casting bool or int32 to float32 gives float32 storage, so native matmuls take it', async () => {
    await tf.setBackend('native');
    const backend = tf.backend() as unknown as { data: { get(id: object): { values: unknown } } };
    const mask = tf.less(rand([64, 50], 2), 0);
    const fromBool = tf.cast(mask, 'float32');
    const fromInt = tf.cast(tf.tensor1d([1, 2, 3], 'int32'), 'float32');
    expect(backend.data.get(fromBool.dataId).values).toBeInstanceOf(Float32Array);
    expect(backend.data.get(fromInt.dataId).values).toBeInstanceOf(Float32Array);
    expect(Array.from(fromInt.dataSync())).toEqual([1, 2, 3]);
    // The bool tensor is untouched and still usable.
    expect(mask.dtype).toBe('bool');
    expect(mask.dataSync().length).toBe(3200);
    tf.dispose([mask, fromBool, fromInt]);
    const r = await onBoth(() => tf.matMul(tf.cast(tf.less(rand([64, 50], 3), 0), 'float32'), rand([50, 30], 4)));
    expect(maxRelErr(r)).toBeLessThan(1e-6);
    expect(status.available || process.env.CI === undefined).toBe(true);
  });
});
