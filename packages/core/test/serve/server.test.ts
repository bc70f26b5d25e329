import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors.js';
import { CUDA_INSTALL_HINT, createSession } from '../../src/runtime/node.js';
import { createServer, type ZooServer } from '../../src/serve/index.js';
import { classifierModel, classifierReference, twoInputModel, writeTemp } from '../runtime/fixtures.js';
import { call, fixedBatchModel, infer, raw } from './helpers.js';

const x = [0.1, 0.2, 0.3, 0.4, -1, 0.5, 2, -0.25];
const LIMIT = 64 * 1024;

describe('createServer: routes and responses', () => {
  let server: ZooServer;
  beforeAll(async () => {
    server = await createServer(writeTemp('classifier.onnx', classifierModel()), { port: 0, maxBodyBytes: LIMIT, requestTimeoutMs: 1000 });
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1 with a random port; GET /health', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await call(server.url, '/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', provider: 'cpu' });
  });

  it('GET /metadata: inputs, outputs, provider, cuda fallback reason, opset, metadata_props, batching, limits', async () => {
    const r = await call(server.url, '/metadata');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      inputs: [{ name: 'x', dims: ['batch', 4], dtype: 'float32' }],
      outputs: [{ name: 'probs', dims: ['batch', 3], dtype: 'float32' }],
      provider: 'cpu',
      opset: 17,
      producer: 'neurozoo-test',
      metadata_props: {},
      batching: { enabled: true, reason: null, maxBatch: 32, maxWaitMs: 2, maxQueue: 1024, concurrency: 1 },
      limits: { max_body_bytes: LIMIT, request_timeout_ms: 1000 },
    });
    // This machine has no CUDA provider libraries: the server says so and why.
    expect(r.body.fallbacks).toHaveLength(1);
    expect(r.body.fallbacks[0].device).toBe('cuda');
    expect(r.body.fallbacks[0].reason).toContain(CUDA_INSTALL_HINT);
  });

  it('POST /infer with a named tensor and with one unnamed tensor; outputs match the reference', async () => {
    const named = await infer(server.url, { inputs: { x: { data: x, dims: [2, 4] } } });
    const single = await infer(server.url, { inputs: { data: x, dims: [2, 4] } });
    for (const r of [named, single]) {
      expect(r.status).toBe(200);
      expect(r.body.provider).toBe('cpu');
      expect(r.body.outputs.probs.dims).toEqual([2, 3]);
      expect(r.body.outputs.probs.type).toBe('float32');
      const ref = classifierReference(x, 2);
      r.body.outputs.probs.data.forEach((v: number, i: number) => expect(Math.abs(v - ref[i])).toBeLessThan(1e-6));
      expect(Object.keys(r.body.timings).sort()).toEqual(['batch_requests', 'batch_rows', 'inference_ms', 'queue_ms', 'total_ms']);
    }
  });

  const bad = (body: string, headers?: Record<string, string>) => call(server.url, '/infer', { body, headers });
  const parseMessage = (text: string) => {
    try {
      JSON.parse(text);
    } catch (e) {
      return (e as Error).message;
    }
  };

  it.each([
    ['malformed JSON', '{"inputs": {"x": ', 400, 'E_BAD_JSON', `Request body is not valid JSON: ${parseMessage('{"inputs": {"x": ')}`],
    ['a JSON array', '[1, 2]', 400, 'E_BAD_REQUEST', 'Request body must be a JSON object { "inputs": { "<name>": { "data": [...], "dims": [...] } } }'],
    ['no inputs', '{"x": 1}', 400, 'E_BAD_REQUEST', 'Request body must be a JSON object { "inputs": { "<name>": { "data": [...], "dims": [...] } } }'],
    ['wrong shape', JSON.stringify({ inputs: { x: { data: [1, 2, 3, 4, 5], dims: [1, 5] } } }), 422, 'E_SHAPE', "Input 'x' expects shape [batch, 4] (float32) but got [1, 5] (float32)"],
    ['wrong rank', JSON.stringify({ inputs: { x: { data: [1, 2, 3, 4], dims: [4] } } }), 422, 'E_SHAPE', "Input 'x' expects shape [batch, 4] (float32) but got [4] (float32)"],
    ['wrong dtype', JSON.stringify({ inputs: { x: { data: [1, 2, 3, 4], dims: [1, 4], type: 'int32' } } }), 422, 'E_SHAPE', "Input 'x' expects shape [batch, 4] (float32) but got [1, 4] (int32)"],
    ['a string in float data', JSON.stringify({ inputs: { x: { data: [1, 'a', 3, 4], dims: [1, 4] } } }), 422, 'E_SHAPE', 'Input \'x\' data[1] is "a": float32 inputs take numbers'],
    ['nested data', JSON.stringify({ inputs: { x: { data: [[1, 2, 3, 4]], dims: [1, 4] } } }), 422, 'E_SHAPE', "Input 'x' data[0] is [1,2,3,4]: float32 inputs take numbers in a flat array (give the shape in dims)"],
    ['data length', JSON.stringify({ inputs: { x: { data: [1, 2, 3, 4], dims: [2, 4] } } }), 422, 'E_SHAPE', "Input 'x' has dims [2, 4] (8 values) but its data holds 4"],
    ['bad dims', JSON.stringify({ inputs: { x: { data: [1, 2, 3, 4], dims: [1, -4] } } }), 422, 'E_SHAPE', "Input 'x' has invalid dims [1, -4]: sizes must be integers >= 0"],
    ['unknown input', JSON.stringify({ inputs: { y: { data: [1, 2, 3, 4], dims: [1, 4] } } }), 422, 'E_SHAPE', "Unknown input 'y': the model expects inputs 'x'"],
    ['not a tensor', JSON.stringify({ inputs: { x: [1, 2, 3, 4] } }), 422, 'E_SHAPE', 'Input \'x\' must be an object { "data": [...], "dims": [...] } with flat data'],
  ])('%s -> %i %s', async (_what, body, status, code, message) => {
    const r = await bad(body);
    expect(r.status).toBe(status);
    expect(r.body).toEqual({ error: { code, message } });
  });

  it('415 for a body that is not declared JSON', async () => {
    const r = await bad('{}', { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    expect(r.body).toEqual({ error: { code: 'E_MEDIA_TYPE', message: "Content-Type must be application/json, got 'text/plain'" } });
  });

  it('413 for a body over maxBodyBytes, by Content-Length and when chunked', async () => {
    const huge = JSON.stringify({ inputs: { x: { data: new Array(60_000).fill(0.5), dims: [15_000, 4] } } });
    const byLength = await call(server.url, '/infer', { body: huge });
    expect(byLength.status).toBe(413);
    expect(byLength.body).toEqual({ error: { code: 'E_TOO_LARGE', message: `Request body of ${Buffer.byteLength(huge)} bytes exceeds the limit of ${LIMIT} bytes (maxBodyBytes)` } });
    const chunked = await call(server.url, '/infer', { body: huge, chunked: true });
    expect(chunked.status).toBe(413);
    expect(chunked.body).toEqual({ error: { code: 'E_TOO_LARGE', message: `Request body of more than ${LIMIT} bytes exceeds the limit of ${LIMIT} bytes (maxBodyBytes)` } });
  });

  it('404 for an unknown path, 405 (with Allow) for a wrong method', async () => {
    const nf = await call(server.url, '/predict');
    expect(nf.status).toBe(404);
    expect(nf.body).toEqual({ error: { code: 'E_NOT_FOUND', message: 'No route /predict: use POST /infer, GET /health or GET /metadata' } });
    const get = await call(server.url, '/infer');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect(get.body).toEqual({ error: { code: 'E_METHOD', message: '/infer takes POST, got GET' } });
    const post = await call(server.url, '/health', { body: '{}' });
    expect(post.status).toBe(405);
  });

  it('survives garbage, a slow client (408 after requestTimeoutMs) and keeps serving meanwhile', async () => {
    const garbage = await raw(server.url, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage.text).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(garbage.text).toContain('"code":"E_BAD_HTTP"');
    const slow = raw(server.url, 'POST /infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"inputs"');
    const during = await infer(server.url, { inputs: { data: x.slice(0, 4), dims: [1, 4] } });
    expect(during.status).toBe(200);
    const stalled = await slow;
    expect(stalled.text).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(stalled.closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(stalled.closedAfterMs).toBeLessThan(5000);
    const after = await call(server.url, '/health');
    expect(after.status).toBe(200);
    const stats = (await call(server.url, '/metadata')).body.stats;
    expect(stats.responses['408']).toBeGreaterThanOrEqual(1);
    expect(stats.responses['413']).toBeGreaterThanOrEqual(2);
  });
});

describe('dynamic batching', () => {
  it('stacks concurrent requests into one run and gives each the unbatched result', async () => {
    const server = await createServer(classifierModel(), { port: 0, maxBatch: 64, maxWaitMs: 50 });
    const plain = await createSession(classifierModel(), { devices: ['cpu'] });
    try {
      const requests = Array.from({ length: 24 }, (_, i) => {
        const rows = (i % 3) + 1;
        return { data: Array.from({ length: rows * 4 }, (_, j) => Math.fround(Math.sin(i * 7 + j))), dims: [rows, 4] };
      });
      const replies = await Promise.all(requests.map((t) => infer(server.url, { inputs: { x: t } })));
      for (const [i, r] of replies.entries()) {
        expect(r.status).toBe(200);
        const alone = await plain.run({ x: { data: Float32Array.from(requests[i].data), dims: requests[i].dims } });
        expect(r.body.outputs.probs.dims).toEqual(alone.probs.dims);
        expect(r.body.outputs.probs.data).toEqual(Array.from(alone.probs.data as Float32Array));
      }
      expect(Math.max(...replies.map((r) => r.body.timings.batch_requests))).toBeGreaterThan(1);
      const stats = (await call(server.url, '/metadata')).body.stats;
      expect(stats.requests).toBe(24);
      expect(stats.rows).toBe(48);
      expect(stats.batches).toBeLessThan(24);
      expect(stats.maxBatchRequests).toBeGreaterThan(1);
    } finally {
      await server.close();
      await plain.release();
    }
  });

  it('a model without a symbolic batch dim runs each request alone and says why', async () => {
    const server = await createServer(fixedBatchModel(), { port: 0, devices: ['cpu'] });
    try {
      const meta = (await call(server.url, '/metadata')).body;
      expect(meta.batching).toMatchObject({ enabled: false, reason: "input 'x' has no symbolic batch dimension" });
      expect(meta.metadata_props).toEqual({ task: 'fixed' });
      expect(meta.fallbacks).toEqual([]);
      const replies = await Promise.all([1, 2, 3].map((v) => infer(server.url, { inputs: { data: [v, 0, 0, 0], dims: [1, 4] } })));
      expect(replies.map((r) => r.body.outputs.y.data)).toEqual([[1, 0], [2, 0], [3, 0]]);
      expect(replies.every((r) => r.body.timings.batch_requests === 1)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('two inputs: a missing one is 422; both are stacked together', async () => {
    const server = await createServer(twoInputModel(), { port: 0, maxWaitMs: 20 });
    try {
      const missing = await infer(server.url, { inputs: { a: { data: [1, 2, 3, 4, 5, 6], dims: [1, 2, 3] } } });
      expect(missing.status).toBe(422);
      expect(missing.body.error.message).toBe("Missing input 'b': the model expects inputs 'a', 'b'");
      const replies = await Promise.all([1, 2, 3, 4].map((k) => infer(server.url, { inputs: { a: { data: new Array(6).fill(k), dims: [1, 2, 3] }, b: { data: [0, 1, 2, 3, 4, 5], dims: [1, 2, 3] } } })));
      replies.forEach((r, i) => expect(r.body.outputs.sum.data).toEqual([0, 1, 2, 3, 4, 5].map((v) => v + i + 1)));
    } finally {
      await server.close();
    }
  });
});

describe('devices', () => {
  it("devices ['cuda'] alone: createServer rejects with the reason (no CUDA libraries here)", async () => {
    const err = await createServer(classifierModel(), { port: 0, devices: ['cuda'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12');
  });
});

describe('connections', () => {
  it('keeps a keep-alive connection after a 422 but closes it after an error that left the body unread', async () => {
    const server = await createServer(classifierModel(), { port: 0, devices: ['cpu'] });
    try {
      const body = JSON.stringify({ inputs: { data: [1, 2, 3], dims: [1, 3] } });
      const one = `POST /infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
      // Two requests on one connection: the second is answered, so the first 422 kept it open.
      const { text } = await raw(server.url, one + one.replace('Host: x', 'Host: x\r\nConnection: close'));
      expect(text.match(/HTTP\/1\.1 422/g)).toHaveLength(2);
      const unread = await raw(server.url, `POST /infer HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n${'a'.repeat(1000)}`);
      expect(unread.text).toMatch(/^HTTP\/1\.1 415 /);
      expect(unread.text.toLowerCase()).toContain('connection: close');
      expect((await call(server.url, '/health')).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
