import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/errors.js';
import * as nodeRt from '../../src/runtime/node.js';
import * as webRt from '../../src/runtime/web.js';
import { classifierModel, twoInputModel } from './fixtures.js';

const f32 = (n: number) => new Float32Array(n);

describe.each([
  ['node', nodeRt],
  ['web', webRt],
] as const)('%s entry: input checks before onnxruntime', (_name, rt) => {
  const cases: Array<[string, Parameters<nodeRt.ZooSession['run']>[0], string, 'classifier' | 'two']> = [
    ['static dim', { x: { data: f32(2 * 5), dims: [2, 5] } }, "Input 'x' expects shape [batch, 4] (float32) but got [2, 5] (float32)", 'classifier'],
    ['rank', { x: { data: f32(8), dims: [2, 2, 2] } }, "Input 'x' expects shape [batch, 4] (float32) but got [2, 2, 2] (float32)", 'classifier'],
    ['dtype', { x: { data: new Int32Array(8), dims: [2, 4] } }, "Input 'x' expects shape [batch, 4] (float32) but got [2, 4] (int32)", 'classifier'],
    ['declared type', { x: { data: f32(8), dims: [2, 4], type: 'float64' } }, "Input 'x' expects shape [batch, 4] (float32) but got [2, 4] (float64)", 'classifier'],
    ['unknown name', { x: { data: f32(8), dims: [2, 4] }, y: { data: f32(8), dims: [2, 4] } }, "Unknown input 'y': the model expects inputs 'x'", 'classifier'],
    ['data length', { x: { data: f32(7), dims: [2, 4] } }, "Input 'x' has dims [2, 4] (8 values) but its data holds 7", 'classifier'],
    ['invalid dims', { x: { data: f32(8), dims: [2, -4] } }, "Input 'x' has invalid dims [2, -4]: sizes must be integers >= 0", 'classifier'],
    ['missing name', { a: { data: f32(6), dims: [1, 2, 3] } }, "Missing input 'b': the model expects inputs 'a', 'b'", 'two'],
    ['single tensor, two inputs', { data: f32(6), dims: [1, 2, 3] }, "The model has 2 inputs ('a', 'b'): pass a record of tensors keyed by input name", 'two'],
    [
      'symbolic dim bound by another input',
      { a: { data: f32(6), dims: [1, 2, 3] }, b: { data: f32(12), dims: [2, 2, 3] } },
      "Input 'b' expects shape [batch, 2, 3] (float32) but got [2, 2, 3] (float32): batch is 1 from input 'a'",
      'two',
    ],
  ];

  it.each(cases)('%s', async (_case, feeds, message, which) => {
    const session = await rt.createSession(which === 'two' ? twoInputModel() : classifierModel(), { devices: ['cpu'] });
    const err = await session.run(feeds).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShapeError);
    expect((err as ShapeError).code).toBe('E_SHAPE');
    expect((err as Error).message).toBe(message);
  });

  it('runs the two-input model when feeds agree', async () => {
    const session = await rt.createSession(twoInputModel(), { devices: ['cpu'] });
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const { sum } = await session.run({ a: { data: a, dims: [1, 2, 3] }, b: { data: a, dims: [1, 2, 3] } });
    expect(Array.from(sum.data as Float32Array)).toEqual([2, 4, 6, 8, 10, 12]);
  });
});
