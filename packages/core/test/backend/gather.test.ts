/** The wasm GatherV2 wrapper (row copies from heap views) against the cpu backend. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { tf } from '../../src/tf.js';
import { onBoth, rand } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const exact = (r: { cpu: Float32Array[]; wasm: Float32Array[] }) => {
  expect(r.wasm.length).toBe(r.cpu.length);
  for (let i = 0; i < r.cpu.length; i++) expect(Array.from(r.wasm[i])).toEqual(Array.from(r.cpu[i]));
};

describe('GatherV2 on wasm equals cpu', () => {
  // [shape, axis, indices shape]: a training batch of rows, inner runs of 1, middle axes, nested indices.
  const cases: [number[], number, number[]][] = [[[200, 784], 0, [128]], [[6, 7], 1, [5]], [[4, 5, 6], 1, [2, 3]], [[10], 0, [4]], [[3, 4, 2], -1, [3]], [[5, 3], 0, [0]]];
  for (const [shape, axis, ishape] of cases) {
    it(`[${shape}] along ${axis} by [${ishape}], float32 and int32, and its gradient`, async () => {
      const n = shape[axis < 0 ? axis + shape.length : axis];
      const size = ishape.reduce((p, d) => p * d, 1);
      const idx = () => tf.tensor(Array.from({ length: size }, (_, k) => (k * 7 + 3) % n), ishape, 'int32');
      exact(
        await onBoth(() => [
          tf.gather(rand(shape, 1), idx(), axis),
          tf.cast(tf.gather(tf.cast(tf.mul(rand(shape, 2), 100), 'int32'), idx(), axis), 'float32'),
          tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.gather(x, idx(), axis), 3)))(rand(shape, 3)),
        ]),
      );
    });
  }

  it('batched gathers and out-of-range indices go to wasm\'s own kernel', async () => {
    exact(await onBoth(() => tf.gather(rand([2, 3, 4], 4), tf.tensor2d([[0, 2], [1, 1]], [2, 2], 'int32'), 1, 1)));
    await tf.setBackend('wasm');
    expect(() => tf.tidy(() => tf.gather(tf.ones([3, 2]), tf.tensor1d([0, 5], 'int32')))).toThrow('GatherV2: the index value 5 is not in [0, 2]');
  });
});
