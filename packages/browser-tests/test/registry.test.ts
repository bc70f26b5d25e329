import { initBackend, OnnxGraph, tf } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportHarnessModel, type HarnessGraphModel, registerHarnessModel } from '../src/registry.js';

beforeAll(async () => {
  await initBackend();
});

/** a, b [2] -> sum = a + b, prod = a * b. */
function addMul(): Uint8Array {
  const g = new OnnxGraph(17, 'add_mul');
  const a = g.input('a', [2]);
  const b = g.input('b', [2]);
  g.output(g.renameValue(g.node('Add', [a, b]) as string, 'sum') as string, [2]);
  g.output(g.renameValue(g.node('Mul', [a, b]) as string, 'prod') as string, [2]);
  return g.toBytes();
}

const spec = (over: Omit<Partial<HarnessGraphModel>, 'inputs'> & { inputs?: Record<string, number[]> | number[][]; outputs?: Record<string, number[]> } = {}): HarnessGraphModel => {
  const { inputs = { b: [3, 4], a: [1, 2] }, outputs = { prod: [3, 8], sum: [4, 6] }, ...rest } = over;
  const t = (v: number[]) => tf.tensor1d(v);
  const map = (r: Record<string, number[]> | number[][]) => (Array.isArray(r) ? r.map(t) : Object.fromEntries(Object.entries(r).map(([k, v]) => [k, t(v)])));
  return { name: 'add-mul', graph: () => ({ onnx: addMul(), inputs: map(inputs), outputs: map(outputs) }), ...rest };
};

describe('harness registry', () => {
  it('rejects bad names and specs with both or neither of build and graph', () => {
    expect(() => registerHarnessModel({ ...spec(), name: 'Bad Name' })).toThrow('must match [a-z0-9-]+');
    expect(() => registerHarnessModel({ name: 'neither' } as never)).toThrow('exactly one of build and graph');
    expect(() => registerHarnessModel({ ...spec(), name: 'both', build: () => tf.sequential() } as never)).toThrow('exactly one of build and graph');
  });

  it('names goldens after the graph, in graph order, with per-output tolerances', async () => {
    const { golden } = await exportHarnessModel(spec({ tolerance: { sum: 1e-5, prod: 0 } }));
    expect(golden.inputs.map((t) => [t.name, t.data])).toEqual([['a', [1, 2]], ['b', [3, 4]]]);
    expect(golden.outputs.map((t) => [t.name, t.dims, t.data])).toEqual([['sum', [2], [4, 6]], ['prod', [2], [3, 8]]]);
    expect(golden.tolerance).toEqual([1e-5, 0]);
    expect((await exportHarnessModel(spec({ inputs: [[1, 2], [3, 4]] }))).golden.tolerance).toEqual([1e-4, 1e-4]);
  });

  it('rejects tensors, tolerances and knownWrong entries that name no graph value', async () => {
    await expect(exportHarnessModel(spec({ inputs: { a: [1, 2], c: [3, 4] } }))).rejects.toThrow("the graph's inputs are [a, b], got [a, c]");
    await expect(exportHarnessModel(spec({ inputs: [[1, 2]] }))).rejects.toThrow("the graph's inputs are [a, b], got 1 tensors");
    await expect(exportHarnessModel(spec({ tolerance: { sum: 1e-4 } }))).rejects.toThrow('no tolerance for output prod');
    await expect(exportHarnessModel(spec({ tolerance: { sum: 1e-4, prod: 0, other: 1 } }))).rejects.toThrow('tolerance names outputs it lacks: other');
    const knownWrong = [{ bundle: 'default' as const, device: 'webgpu' as const, output: 'prod', holds: 'diff', why: 'test' }];
    await expect(exportHarnessModel(spec({ knownWrong }))).rejects.toThrow('knownWrong names outputs it lacks (prod, diff)');
  });
});
