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
});
