import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/errors.js';
import { argmax, softmax } from '../../src/runtime/tensors.js';

describe('argmax / softmax', () => {
  it('argmax picks the first largest index per row', () => {
    expect(Array.from(argmax([0.1, 0.7, 0.2, 3, 3, 1], [2, 3]))).toEqual([1, 0]);
    expect(Array.from(argmax(Float32Array.from([5, -1]), [2]))).toEqual([0]);
  });

  it('softmax rows sum to one and are stable for large logits', () => {
    const p = softmax([1000, 1001, 1002, 0, 0, 0], [2, 3]);
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 6);
    expect(p[3]).toBeCloseTo(1 / 3, 6);
    expect(p[2]).toBeGreaterThan(p[1]);
  });

  it('throws ShapeError when dims and data disagree', () => {
    expect(() => argmax([1, 2, 3], [2, 2])).toThrow(new ShapeError('Dims [2, 2] hold 4 values but the data has 3'));
    expect(() => softmax([1], [])).toThrow(ShapeError);
  });
});
