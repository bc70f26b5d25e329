import { describe, expect, it } from 'vitest';
import { BackendError, ShapeError } from '../../src/errors.js';
import type { Feeds, OutputTensor, TensorLike, ZooSession } from '../../src/runtime/types.js';
import { BusyError, batchProblem, DynamicBatcher } from '../../src/serve/batcher.js';

/** A session computing y = 2x on input x [batch, n]; each run waits until `release()` is called when `gated`. */
function fakeSession(opts: { gated?: boolean; outputDims?: (rows: number) => number[]; fail?: boolean } = {}) {
  const runs: number[][] = [];
  let gates: Array<() => void> = [];
  const session: ZooSession = {
    provider: 'cpu',
    fallbacks: [],
    inputs: [{ name: 'x', dims: ['batch', '?'], dtype: 'float32' }],
    outputs: [{ name: 'y', dims: ['batch', '?'], dtype: 'float32' }],
    async run(feeds: Feeds) {
      const x = (feeds as Record<string, TensorLike>).x;
      runs.push([...x.dims]);
      if (opts.gated) await new Promise<void>((r) => gates.push(r));
      if (opts.fail) throw new Error('kernel exploded');
      const data = Float32Array.from(x.data as Float32Array, (v) => 2 * v);
      return { y: { data, dims: opts.outputDims?.(x.dims[0]) ?? [...x.dims], type: 'float32' } as OutputTensor };
    },
    async release() {},
  };
  const release = () => {
    const g = gates;
    gates = [];
    for (const r of g) r();
  };
  return { session, runs, release };
}

const row = (v: number, n = 2, rows = 1) => ({ x: { data: new Float32Array(rows * n).fill(v), dims: [rows, n] } });
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('DynamicBatcher', () => {
  it('stacks requests that arrive while a run is in flight, splits outputs back in order', async () => {
    const { session, runs, release } = fakeSession({ gated: true });
    const b = new DynamicBatcher(session, { maxBatch: 8, maxWaitMs: 0 });
    const first = b.submit(row(1));
    await tick();
    const rest = [2, 3, 4].map((v) => b.submit(row(v, 2, v === 3 ? 2 : 1)));
    release();
    await first;
    await tick();
    release();
    const results = await Promise.all(rest);
    expect(runs).toEqual([[1, 2], [4, 2]]);
    expect(results.map((r) => Array.from(r.outputs.y.data as Float32Array))).toEqual([[4, 4], [6, 6, 6, 6], [8, 8]]);
    expect(results.map((r) => r.outputs.y.dims)).toEqual([[1, 2], [2, 2], [1, 2]]);
    expect(results.every((r) => r.batchRows === 4 && r.batchRequests === 3)).toBe(true);
    expect(b.stats()).toMatchObject({ requests: 4, batches: 2, rows: 5, maxBatchRows: 4, maxBatchRequests: 3, queued: 0, inFlight: 0 });
  });

  it('waits up to maxWaitMs for company, and no longer', async () => {
    const { session, runs } = fakeSession();
    const b = new DynamicBatcher(session, { maxBatch: 8, maxWaitMs: 30 });
    const t0 = performance.now();
    const a = b.submit(row(1));
    await tick(5);
    const c = b.submit(row(2));
    await Promise.all([a, c]);
    expect(runs).toEqual([[2, 2]]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
  });

  it('runs at once when maxBatch rows are queued; never exceeds maxBatch', async () => {
    const { session, runs } = fakeSession();
    const b = new DynamicBatcher(session, { maxBatch: 3, maxWaitMs: 10_000 });
    const t0 = performance.now();
    await Promise.all([1, 2, 3, 4, 5, 6].map((v) => b.submit(row(v))));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(runs).toEqual([[3, 2], [3, 2]]);
  });

  it('does not stack requests whose trailing dims differ', async () => {
    const { session, runs } = fakeSession();
    const b = new DynamicBatcher(session, { maxBatch: 8, maxWaitMs: 10 });
    const out = await Promise.all([b.submit(row(1, 2)), b.submit(row(2, 3)), b.submit(row(3, 2))]);
    expect(runs).toEqual([[2, 2], [1, 3]]);
    expect(out.map((r) => r.outputs.y.dims)).toEqual([[1, 2], [1, 3], [1, 2]]);
  });

  it('maxBatch 1 turns batching off', async () => {
    const { session, runs } = fakeSession();
    const b = new DynamicBatcher(session, { maxBatch: 1 });
    expect(b.notBatchable).toBe('maxBatch is 1');
    await Promise.all([1, 2, 3].map((v) => b.submit(row(v))));
    expect(runs).toEqual([[1, 2], [1, 2], [1, 2]]);
  });

  it('re-runs one by one when an output has no batch dim to split on', async () => {
    const { session, runs } = fakeSession({ outputDims: (rows) => (rows === 1 ? [1, 2] : [1, rows * 2]) });
    const b = new DynamicBatcher(session, { maxBatch: 8, maxWaitMs: 10 });
    const out = await Promise.all([b.submit(row(1)), b.submit(row(2))]);
    expect(runs).toEqual([[2, 2], [1, 2], [1, 2]]);
    expect(out.map((r) => Array.from(r.outputs.y.data as Float32Array))).toEqual([[2, 2], [4, 4]]);
  });

  it('rejects bad feeds at once with ShapeError, a full queue with BusyError, a failed run with BackendError for the whole batch', async () => {
    const gated = fakeSession({ gated: true });
    const b = new DynamicBatcher(gated.session, { maxBatch: 4, maxWaitMs: 0, maxQueue: 2 });
    expect(() => b.submit({ x: { data: new Float32Array(3), dims: [1, 2] } })).toThrow(ShapeError);
    const running = b.submit(row(1));
    await tick();
    const queued = [b.submit(row(2)), b.submit(row(3))];
    await expect(b.submit(row(4))).rejects.toThrow(new BusyError('The request queue is full (2 waiting); retry later'));
    gated.release();
    await running;
    await tick();
    gated.release();
    await Promise.all(queued);
    const failing = new DynamicBatcher(fakeSession({ fail: true }).session, { maxBatch: 4, maxWaitMs: 5 });
    const results = await Promise.allSettled([failing.submit(row(1)), failing.submit(row(2))]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(BackendError);
      expect((r as PromiseRejectedResult).reason.message).toBe('kernel exploded');
    }
  });

  it('batchProblem names what prevents batching', () => {
    const v = (name: string, dims: Array<number | string> | null) => ({ name, dims, dtype: 'float32' });
    expect(batchProblem({ inputs: [v('x', ['n', 4])], outputs: [v('y', ['n', 2])] })).toBeNull();
    expect(batchProblem({ inputs: [v('x', [1, 4])], outputs: [] })).toBe("input 'x' has no symbolic batch dimension");
    expect(batchProblem({ inputs: [v('a', ['n', 4]), v('b', ['m', 4])], outputs: [] })).toBe("inputs name their first dimension differently ('n', 'm')");
    expect(batchProblem({ inputs: [v('x', ['n', 4])], outputs: [v('y', [2])] })).toBe("output 'y' has no symbolic batch dimension");
    expect(batchProblem({ inputs: [], outputs: [] })).toBe('the model has no inputs');
  });
});
