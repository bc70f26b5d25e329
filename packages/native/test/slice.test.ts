/** Slice, SplitV, Tile and Softmax fast paths against the cpu backend. */
import { describe, expect, it } from 'vitest';
import { maxRelErr, onBoth, rand, skip, tf } from './helpers.js';

const exact = (r: { cpu: Float32Array[]; native: Float32Array[] }) => {
  expect(r.native.length).toBe(r.cpu.length);
  for (let i = 0; i < r.cpu.length; i++) expect(Array.from(r.native[i])).toEqual(Array.from(r.cpu[i]));
};

describe.skipIf(skip)('native slice kernels equal cpu', () => {
  // [shape, begin, size]: contiguous and strided, inner runs, -1 sizes, rank 1 to 5, empty.
  const slices: [number[], number[], number[]][] = [
    [[10], [3], [4]],
    [[6, 7], [1, 2], [3, 4]],
    [[6, 7], [2, 0], [3, 7]],
    [[6, 7], [0, 3], [-1, -1]],
    [[32, 512], [0, 128], [32, 128]],
    [[4, 5, 6], [1, 0, 2], [2, 5, 3]],
    [[4, 5, 6], [0, 2, 0], [4, 2, 6]],
    [[2, 3, 4, 5], [1, 1, 1, 1], [1, 2, 3, 4]],
    [[2, 3, 4, 5, 3], [0, 1, 0, 2, 1], [2, 1, 4, 2, 2]],
    [[3, 4], [1, 2], [0, 2]],
  ];
  for (const [shape, begin, size] of slices) {
    it(`slice [${shape}] at [${begin}] size [${size}]`, async () => {
      exact(await onBoth(() => tf.slice(rand(shape, 1), begin, size)));
    });
  }

  it('slice of int32 and bool tensors', async () => {
    exact(await onBoth(() => [
      tf.cast(tf.slice(tf.range(0, 60, 1, 'int32').reshape([3, 4, 5]), [1, 1, 2], [2, 2, 2]), 'float32'),
      tf.cast(tf.slice(tf.greater(rand([3, 4, 5], 2), 0), [0, 1, 1], [3, 2, 3]), 'float32'),
    ]));
  });

  const splits: [number[], number | number[], number][] = [
    [[32, 512], 4, 1], [[32, 512], 4, -1], [[6, 8], [2, 5, 1], 1], [[6, 8], 3, 0], [[2, 6, 3], [1, -1, 2], 1], [[2, 3, 4, 6], 2, 3],
  ];
  for (const [shape, n, axis] of splits) {
    it(`split [${shape}] into ${JSON.stringify(n)} along ${axis}`, async () => {
      exact(await onBoth(() => tf.split(rand(shape, 3), n, axis)));
    });
  }

  const tiles: [number[], number[]][] = [[[5], [3]], [[32, 1], [1, 128]], [[2, 3], [3, 2]], [[2, 1, 3], [2, 4, 1]], [[1, 2, 1, 2], [3, 1, 2, 2]], [[3, 2], [1, 1]]];
  for (const [shape, reps] of tiles) {
    it(`tile [${shape}] by [${reps}]`, async () => {
      exact(await onBoth(() => tf.tile(rand(shape, 4), reps)));
    });
  }

  it('tile of an int32 tensor', async () => {
    exact(await onBoth(() => tf.cast(tf.tile(tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), [2, 3]), 'float32')));
  });

  for (const shape of [[7], [4, 10], [2, 3, 64, 64], [5, 1]]) {
    it(`softmax over the last axis of [${shape}]`, async () => {
      const r = await onBoth(() => tf.softmax(tf.mul(rand(shape, 5), 8)));
      expect(maxRelErr(r)).toBeLessThan(1e-6);
    });
  }

  it('softmax of masked rows (-1e9, -Infinity) and its gradient', async () => {
    const r = await onBoth(() => {
      const mask = tf.tensor2d([[0, -1e9, 0, -1e9], [0, 0, 0, 0], [-1e9, -1e9, -1e9, 0]]);
      const x = rand([3, 4], 6);
      const w = rand([3, 4], 7);
      return [
        tf.softmax(tf.add(x, mask)),
        tf.softmax(tf.tensor2d([[Number.NEGATIVE_INFINITY, 0, 1]])),
        ...tf.grads((a: tf.Tensor) => tf.sum(tf.mul(tf.softmax(a), w)))([x]),
      ];
    });
    expect(maxRelErr(r)).toBeLessThan(1e-6);
  });

  it('gradients through split and slice (an LSTM gate split)', async () => {
    const r = await onBoth(() => {
      const w = rand([8, 7], 8);
      return tf.grads((z: tf.Tensor) => {
        const [i, f, c, o] = tf.split(z, 4, 1);
        return tf.sum(tf.mul(tf.add(tf.add(tf.mul(tf.sigmoid(i), tf.tanh(c)), tf.sigmoid(f)), tf.slice(o, [0, 1], [8, 6]).sum(1, true)), w));
      })([rand([8, 28], 9)]);
    });
    expect(maxRelErr(r)).toBeLessThan(1e-6);
  });

  // [shape, axis, indices shape]: rows of a batch, inner runs of 1, middle axes, repeats, nested indices.
  const gathers: [number[], number, number[]][] = [[[600, 784], 0, [128]], [[6, 7], 1, [5]], [[4, 5, 6], 1, [2, 3]], [[10], 0, [4]], [[3, 4, 2], 2, [3]]];
  for (const [shape, axis, ishape] of gathers) {
    it(`gather [${shape}] along ${axis} by [${ishape}] (float32 and int32)`, async () => {
      const size = ishape.reduce((p, d) => p * d, 1);
      const idx = () => tf.tensor(Array.from({ length: size }, (_, k) => (k * 7 + 3) % shape[axis]), ishape, 'int32');
      exact(await onBoth(() => [tf.gather(rand(shape, 5), idx(), axis), tf.cast(tf.gather(tf.cast(tf.mul(rand(shape, 6), 100), 'int32'), idx(), axis), 'float32')]));
    });
  }

  it('gather with an index out of range throws the cpu kernel\'s error', async () => {
    await tf.setBackend('native');
    expect(() => tf.gather(tf.ones([3, 2]), tf.tensor1d([0, 3], 'int32'))).toThrow(/GatherV2: the index value 3 is not in \[0, 2\]/);
  });

  // [shape, axes]: a Bidirectional layer's time axis, the last axis, several axes, size-1 and all axes.
  const reversals: [number[], number[]][] = [[[32, 32, 64], [1]], [[4, 5], [1]], [[4, 5], [0]], [[2, 3, 4, 5], [0, 2]], [[3, 1, 4], [1, 2]], [[2, 3, 4], [0, 1, 2]], [[7], [0]]];
  for (const [shape, axes] of reversals) {
    it(`reverse [${shape}] along [${axes}] (float32, int32) and its gradient`, async () => {
      exact(await onBoth(() => [
        tf.reverse(rand(shape, 11), axes),
        tf.cast(tf.reverse(tf.cast(tf.mul(rand(shape, 12), 50), 'int32'), axes), 'float32'),
        tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.reverse(x, axes), rand(shape, 13))))(rand(shape, 14)),
      ]));
    });
  }

  it('unsorted segment sum (an Embedding gradient): repeats, out-of-range ids, rows of several dims', async () => {
    const r = await onBoth(() => {
      const ids = tf.tensor1d([3, 0, 3, 7, -1, 9, 2, 2], 'int32');
      const x = rand([8, 3, 2], 15);
      const emb = rand([50, 4], 16);
      const words = tf.tensor2d([[1, 5, 5], [49, 0, 1]], [2, 3], 'int32');
      return [
        tf.unsortedSegmentSum(x, ids, 8),
        tf.unsortedSegmentSum(rand([8], 17), ids, 4),
        tf.grad((e: tf.Tensor) => tf.sum(tf.mul(tf.gather(e, words), rand([2, 3, 4], 18))))(emb),
      ];
    });
    expect(maxRelErr(r)).toBeLessThan(1e-6);
  });

  it('unstack along every axis (float32, int32) and its gradient (a stack)', async () => {
    exact(await onBoth(() => [
      ...[0, 1, 2].flatMap((axis) => tf.unstack(rand([3, 4, 5], 19), axis)),
      ...tf.unstack(tf.cast(tf.mul(rand([2, 3], 20), 9), 'int32'), 1).map((t) => tf.cast(t, 'float32')),
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.unstack(x, 1)[2], rand([3, 5], 21))))(rand([3, 4, 5], 22)),
    ]));
  });

  it('pad with zeros and with a constant, rank 1 to 4, and its gradient (a slice)', async () => {
    exact(await onBoth(() => [
      tf.pad(rand([5], 23), [[2, 1]]),
      tf.pad(rand([3, 4], 24), [[1, 0], [0, 2]], 1.5),
      tf.pad(rand([2, 3, 4, 5], 25), [[0, 0], [1, 1], [2, 2], [0, 0]]),
      tf.pad(rand([2, 0, 3], 26), [[1, 1], [0, 1], [0, 0]], -2),
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.pad(x, [[1, 2], [0, 1]]), rand([6, 5], 27))))(rand([3, 4], 28)),
    ]));
  });

  it('concat along every axis, mixed sizes, empty inputs, int32 and bool, and its gradient', async () => {
    exact(await onBoth(() => [
      ...[0, 1, 2].map((axis) => tf.concat([rand([2, 3, 4], 29), rand([2, 3, 4], 30)], axis)),
      tf.concat([rand([2, 1, 4], 31), rand([2, 5, 4], 32), rand([2, 0, 4], 33)], 1),
      tf.cast(tf.concat([tf.tensor1d([1, 2], 'int32'), tf.tensor1d([3], 'int32')]), 'float32'),
      tf.cast(tf.concat([tf.greater(rand([2, 2], 34), 0), tf.less(rand([2, 1], 35), 0)], 1), 'float32'),
      ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.concat([a, b], 1), rand([3, 7], 36))))([rand([3, 4], 37), rand([3, 3], 38)]),
    ]));
  });
});
