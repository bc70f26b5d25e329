/** The serve entry's request parsing (feedsFromJson, HttpError) and Triton's batching rule, on hand-written bodies. */
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/errors.js';
import type { OnnxValueSummary } from '../../src/onnx/inspect.js';
import type { ValueInfo } from '../../src/runtime/types.js';
import { feedsFromJson, HttpError, tritonBatchable } from '../../src/serve/index.js';

const image: ValueInfo = { name: 'image', dims: ['batch', 4], dtype: 'float32' };
const ids: ValueInfo = { name: 'ids', dims: ['batch', 3], dtype: 'int64' };

describe('feedsFromJson', () => {
  it('takes one unnamed tensor for a single-input model and converts data to the input dtype', () => {
    expect(feedsFromJson({ inputs: { data: [1, 2, 3, 4], dims: [1, 4] } }, [image])).toEqual({
      image: { data: Float32Array.from([1, 2, 3, 4]), dims: [1, 4] },
    });
    const feeds = feedsFromJson({ inputs: { ids: { data: [5, 0, 7], dims: [1, 3] }, image: { data: [0, 0, 0, 0], dims: [1, 4] } } }, [image, ids]);
    expect(feeds.ids).toEqual({ data: BigInt64Array.from([5n, 0n, 7n]), dims: [1, 3] });
  });

  it('answers 400 for a body of the wrong form, ShapeError for bad tensors', () => {
    const bad = (() => {
      try {
        feedsFromJson([1, 2], [image]);
      } catch (e) {
        return e;
      }
    })() as HttpError;
    expect(bad).toBeInstanceOf(HttpError);
    expect([bad.status, bad.code, bad.name, bad.message]).toEqual([
      400, 'E_BAD_REQUEST', 'HttpError', 'Request body must be a JSON object { "inputs": { "<name>": { "data": [...], "dims": [...] } } }',
    ]);
    expect(() => feedsFromJson({ inputs: { data: [1], dims: [1] } }, [image, ids])).toThrow(
      new ShapeError(`The model has 2 inputs ('image', 'ids'): name each under "inputs"`),
    );
    expect(() => feedsFromJson({ inputs: { image: { data: [[1, 2]], dims: [1, 2] } } }, [image])).toThrow(
      new ShapeError("Input 'image' data[0] is [1,2]: float32 inputs take numbers in a flat array (give the shape in dims)"),
    );
  });
});

describe('tritonBatchable', () => {
  it('is true only when every input and output has a symbolic first dim', () => {
    const input: OnnxValueSummary = { name: 'image', dims: ['batch', 4], dtype: 'float32' };
    const out: OnnxValueSummary = { name: 'probs', dims: ['batch', 10], dtype: 'float32' };
    expect(tritonBatchable({ inputs: [input], outputs: [out] })).toBe(true);
    expect(tritonBatchable({ inputs: [{ ...input, dims: [1, 4] }], outputs: [out] })).toBe(false);
    expect(tritonBatchable({ inputs: [input], outputs: [{ ...out, dims: [] }] })).toBe(false);
  });
});
