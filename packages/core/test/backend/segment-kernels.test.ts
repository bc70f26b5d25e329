/**
 * The wasm UnsortedSegmentSum kernel (Gather's gradient) against the cpu backend's kernel,
 * called directly over a sweep of shapes, id ranks and segment counts, and through the
 * gradients of gather and of a trained Embedding layer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { tf } from '../../src/tf.js';
import { liveCounts, maxRelErr, onBoth, rand, randomData } from './helpers.js';

const TOL = 1e-6;

/** Segment ids in [lo, hi), deterministic; includes repeats, so rows accumulate. */
function ids(shape: number[], lo: number, hi: number, seed: number): tf.Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const u = randomData(n, seed);
  return tf.tensor(Array.from(u, (v) => lo + Math.min(hi - lo - 1, Math.floor(((v + 1) / 2) * (hi - lo)))), shape, 'int32');
}

const segmentSum = (x: tf.Tensor, s: tf.Tensor, numSegments: number): tf.Tensor =>
  tf.engine().runKernel(tf.UnsortedSegmentSum, { x, segmentIds: s }, { numSegments }) as tf.Tensor;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('UnsortedSegmentSum on wasm equals cpu', () => {
  it('is registered by initBackend and sums rows by hand-computed segments (ids out of range dropped)', async () => {
    await initBackend({ backend: 'wasm' });
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'wasm')?.backendName).toBe('wasm');
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
    const s = tf.tensor1d([2, 0, 2, -1, 5], 'int32');
    const out = segmentSum(x, s, 4);
    expect(tf.getBackend()).toBe('wasm');
    // segment 0 = row 1; segment 1 = nothing; segment 2 = rows 0 + 2; segment 3 = nothing; ids -1 and 5 fall outside [0, 4)
    expect(out.arraySync()).toEqual([[3, 4], [0, 0], [6, 8], [0, 0]]);
    tf.dispose([x, s, out]);
  });

  // [x shape, id shape, numSegments, id range]: 1-D values (inner 1), embedding-gradient
  // rows, several trailing dims, more or fewer segments than rows, ids out of range. Ids are
  // 1-D, the op's contract (Gather's gradient flattens its indices).
  const cases: [number[], number[], number, [number, number]][] = [
    [[1], [1], 1, [0, 1]],
    [[7], [7], 3, [0, 3]],
    [[10, 4], [10], 5, [0, 5]],
    [[64, 16], [64], 100, [0, 100]],
    [[256, 32], [256], 20, [0, 20]],
    [[32, 12], [32], 9, [0, 9]],
    [[5, 3, 2, 6], [5], 2, [0, 2]],
    [[30, 3], [30], 7, [0, 7]],
    [[400, 24], [400], 120, [0, 120]],
    [[33, 17], [33], 10, [-3, 13]],
    [[12], [12], 4, [-2, 6]],
    [[128, 64], [128], 1, [0, 1]],
    [[3, 2], [3], 8, [0, 8]],
  ];
  for (const [xs, is, n, [lo, hi]] of cases) {
    it(`x [${xs}], ids [${is}] in [${lo}, ${hi}), ${n} segments`, async () => {
      const f = () => segmentSum(rand(xs, 1), ids(is, lo, hi, 2), n);
      const r = await onBoth(f);
      expect(r.wasm[0].length).toBe(n * xs.slice(is.length).reduce((p, d) => p * d, 1));
      expect(maxRelErr(r)).toBeLessThan(TOL);
      tf.dispose(tf.tidy(f));
      const before = liveCounts();
      tf.dispose(tf.tidy(f));
      expect(liveCounts()).toEqual(before);
    });
  }

  it('rank-2 ids sum like their flattened form (TensorFlow semantics; the cpu kernel only takes 1-D ids)', async () => {
    const r = await onBoth((backend) =>
      backend === 'cpu'
        ? segmentSum(rand([4, 8, 12], 1).reshape([32, 12]), ids([4, 8], 0, 9, 2).reshape([32]), 9)
        : segmentSum(rand([4, 8, 12], 1), ids([4, 8], 0, 9, 2), 9),
    );
    expect(maxRelErr(r)).toBeLessThan(TOL);
  });

  it('int32 values', async () => {
    const f = () => tf.cast(segmentSum(tf.tensor([[1, 2], [3, 4], [5, 6], [7, 8]], [4, 2], 'int32'), ids([4], 0, 2, 3), 3), 'float32');
    const r = await onBoth(f);
    expect(maxRelErr(r)).toBe(0);
  });

  it('the tf.unsortedSegmentSum op', async () => {
    const r = await onBoth(() => tf.unsortedSegmentSum(rand([40, 6], 4), ids([40], 0, 11, 5) as tf.Tensor1D, 11));
    expect(maxRelErr(r)).toBeLessThan(TOL);
  });

  it('the gradient of gather (embedding lookup) along axis 0 and axis 1', async () => {
    const r = await onBoth(() => {
      const table = rand([50, 8], 6);
      const w0 = rand([4, 9, 8], 7);
      const w1 = rand([8, 3, 5], 8);
      const idx = ids([4, 9], 0, 50, 9);
      const idx1 = ids([3, 5], 0, 50, 10);
      return tf.grads((t: tf.Tensor) =>
        tf.add(tf.sum(tf.mul(tf.gather(t, idx), w0)), tf.sum(tf.mul(tf.gather(t.transpose(), idx1, 1), w1))),
      )([table]);
    });
    expect(maxRelErr(r)).toBeLessThan(1e-5);
  });

  it('an Embedding layer trains on wasm as on cpu', async () => {
    const x = [[1, 4, 4, 0], [2, 9, 3, 3], [7, 7, 7, 1]];
    const y = [0, 1, 0];
    const r = await onBoth(() => {
      const model = tf.sequential({
        layers: [
          tf.layers.embedding({ inputDim: 10, outputDim: 6, inputLength: 4, embeddingsInitializer: tf.initializers.constant({ value: 0 }) }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 1, kernelInitializer: 'ones' }),
        ],
      });
      const table = model.layers[0].getWeights()[0];
      model.layers[0].setWeights([rand(table.shape, 11)]);
      const opt = tf.train.sgd(0.5);
      for (let step = 0; step < 5; step++) {
        opt.minimize(() => tf.losses.sigmoidCrossEntropy(tf.tensor2d(y, [3, 1]), model.apply(tf.tensor2d(x, [3, 4], 'int32')) as tf.Tensor));
      }
      const w = model.layers[0].getWeights()[0].clone();
      opt.dispose();
      model.dispose();
      return w;
    });
    expect(maxRelErr(r)).toBeLessThan(1e-5);
  });
});
