/** HTTP helpers and extra tiny models for the serve tests. */
import { request } from 'node:http';
import { connect } from 'node:net';
import { onnx } from 'onnx-proto';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  text: string;
}

/**
 * One HTTP request; resolves on the response even when the server closes the connection
 * while the body is still being sent (413), and rejects only when no response came.
 */
export function call(url: string, path: string, init: { method?: string; body?: string | Buffer; headers?: Record<string, string>; chunked?: boolean } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json', ...init.headers };
    if (init.body !== undefined && !init.chunked) headers['content-length'] = Buffer.byteLength(init.body);
    const req = request(new URL(path, url), { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      const done = () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      };
      res.on('end', done);
      res.on('error', done);
    });
    req.on('error', reject);
    if (init.body !== undefined && init.chunked) {
      const b = Buffer.from(init.body);
      for (let i = 0; i < b.length; i += 65536) req.write(b.subarray(i, i + 65536));
    } else if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** POSTs `body` as JSON to /infer. */
export const infer = (url: string, body: unknown) => call(url, '/infer', { body: JSON.stringify(body) });

/** Writes raw bytes on a fresh TCP connection and collects everything until the server closes it. */
export function raw(url: string, bytes: string, waitMs = 15_000): Promise<{ text: string; closedAfterMs: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.on('close', () => resolve({ text, closedAfterMs: performance.now() - t0 }));
    socket.on('error', () => {});
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`server kept the connection open for ${waitMs} ms; got ${JSON.stringify(text)}`));
    }, waitMs).unref();
  });
}

/** x @ W with a FIXED batch of 1: input `x` [1, 4], output `y` [1, 2]; not batchable. */
export function fixedBatchModel(): Uint8Array {
  const F = onnx.TensorProto.DataType.FLOAT;
  const vi = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: F, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'neurozoo-test',
    opsetImport: [{ domain: '', version: 17 }],
    metadataProps: [{ key: 'task', value: 'fixed' }],
    graph: {
      name: 'fixed',
      node: [{ opType: 'MatMul', input: ['x', 'W'], output: ['y'], name: 'mm' }],
      initializer: [{ name: 'W', dims: [4, 2], dataType: F, floatData: [1, 0, 0, 1, 1, 0, 0, 1] }],
      input: [vi('x', [1, 4])],
      output: [vi('y', [1, 2])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
