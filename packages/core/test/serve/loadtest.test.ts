import { describe, expect, it } from 'vitest';
import { createServer, loadTest } from '../../src/serve/index.js';
import { classifierModel } from '../runtime/fixtures.js';
import { call } from './helpers.js';

/** 20 distinct single-row bodies for the classifier. */
const bodies = Array.from({ length: 20 }, (_, i) => JSON.stringify({ inputs: { x: { data: [i / 20, 1 - i / 20, Math.sin(i), 0.5], dims: [1, 4] } } }));

describe('bounded load test on loopback', () => {
  it('10 000 requests at concurrency 32 complete without an error, batched', async () => {
    const server = await createServer(classifierModel(), { port: 0, devices: ['cpu'], maxBatch: 32, maxWaitMs: 2 });
    try {
      const r = await loadTest({ url: server.url, bodies, requests: 10_000, concurrency: 32, timeLimitMs: 150_000 });
      console.log(`load test: ${r.completed} requests in ${r.seconds.toFixed(2)} s, ${r.throughput.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms`);
      expect(r.timedOut).toBe(false);
      expect(r.completed).toBe(10_000);
      expect(r.errors).toBe(0);
      expect(r.statuses).toEqual({ 200: 10_000 });
      const stats = (await call(server.url, '/metadata')).body.stats;
      expect(stats.requests).toBe(10_000);
      expect(stats.batches).toBeLessThan(10_000);
      expect(stats.maxBatchRequests).toBeGreaterThan(1);
      expect(stats.maxBatchRows).toBeLessThanOrEqual(32);
      expect((await call(server.url, '/health')).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 180_000);

  it('a full queue answers 503 E_BUSY, and the server keeps serving', async () => {
    const server = await createServer(classifierModel(), { port: 0, devices: ['cpu'], maxBatch: 1, maxQueue: 1 });
    // Hold every run for 20 ms so that the queue fills.
    const run = server.session.run.bind(server.session);
    (server.session as { run: typeof run }).run = async (feeds) => {
      await new Promise((r) => setTimeout(r, 20));
      return run(feeds);
    };
    try {
      const r = await loadTest({ url: server.url, bodies, requests: 40, concurrency: 8, timeLimitMs: 30_000 });
      expect(r.completed).toBe(40);
      expect(Object.keys(r.statuses).sort()).toEqual(['200', '503']);
      const busy = await Promise.all(Array.from({ length: 4 }, () => call(server.url, '/infer', { body: bodies[0] })));
      const refused = busy.find((b) => b.status === 503);
      expect(refused?.body).toEqual({ error: { code: 'E_BUSY', message: 'The request queue is full (1 waiting); retry later' } });
      expect(refused?.headers['retry-after']).toBe('1');
      expect((await call(server.url, '/infer', { body: bodies[0] })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
