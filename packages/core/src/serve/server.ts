/**
 * createServer(): an HTTP JSON inference server on node:http and onnxruntime-node, with
 * dynamic batching, input checks, body limits and timeouts. Routes: `POST /infer`,
 * `GET /health`, `GET /metadata`.
 */
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { NeurozooError, OnnxFormatError, OptionError } from '../errors.js';
import { inspectOnnx, type OnnxSummary } from '../onnx/inspect.js';
import { createSession } from '../runtime/node.js';
import type { Device, LogLevel, ZooSession } from '../runtime/types.js';
import { BusyError, DynamicBatcher } from './batcher.js';
import { feedsFromJson, HttpError, outputToJson, parseJson, readBody, requireJson, sendError, sendJson } from './http.js';

/** Options of {@link createServer}. */
export interface ServeOptions {
  /** Devices to try in order (default `['cuda', 'cpu', 'wasm']`); `/metadata` says which runs and why others did not. */
  devices?: Device[];
  /** Most rows per onnxruntime run (default 32); 1 turns batching off. */
  maxBatch?: number;
  /** How long a request waits for others to batch with, in ms (default 2). */
  maxWaitMs?: number;
  /** Largest request body in bytes (default 4 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** Most queued requests (default 1024); more get 503. */
  maxQueue?: number;
  /** Batches run at once (default 1). */
  concurrency?: number;
  /** Port (default 8080; 0 picks a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1; '0.0.0.0' to expose). */
  host?: string;
  /** A request (headers and body) must arrive within this many ms, else 408 and the connection closes (default 30 000). */
  requestTimeoutMs?: number;
  logLevel?: LogLevel;
  /** Extra onnxruntime session options (e.g. `intraOpNumThreads`). */
  sessionOptions?: Record<string, unknown>;
}

/** A running server. */
export interface ZooServer {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  readonly http: Server;
  readonly session: ZooSession;
  readonly batcher: DynamicBatcher;
  /** What `GET /metadata` returns. */
  metadata(): Record<string, unknown>;
  /** Stops accepting connections, lets queued requests finish, closes every connection and frees the session. */
  close(): Promise<void>;
}

function check(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new OptionError(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

async function modelBytes(model: string | URL | Uint8Array): Promise<Uint8Array> {
  if (model instanceof Uint8Array) return model;
  try {
    return new Uint8Array(await readFile(model));
  } catch (e) {
    throw new OnnxFormatError(`Cannot read ONNX model file '${String(model)}': ${(e as Error).message}`);
  }
}

/** Maps any error to the API's error response. */
function toHttpError(e: unknown): HttpError {
  if (e instanceof HttpError) return e;
  if (e instanceof BusyError) return new HttpError(503, e.code, e.message, { 'retry-after': '1' });
  if (e instanceof NeurozooError) return new HttpError(e.code === 'E_SHAPE' ? 422 : 500, e.code, e.message);
  return new HttpError(500, 'E_INTERNAL', `Internal error: ${(e as Error)?.message ?? String(e)}`);
}

const ROUTES: Record<string, string> = { '/infer': 'POST', '/health': 'GET', '/metadata': 'GET' };

/**
 * Loads `model` (path, file: URL or ONNX bytes) on the first working device and serves it.
 *
 * `POST /infer` takes `{ "inputs": { "<name>": { "data": [...], "dims": [...] } } }` (or one
 * unnamed tensor as `inputs`) and answers `{ outputs, provider, timings }`. Errors answer
 * `{ error: { code, message } }`: 400 bad JSON or body, 404, 405, 408 slow client, 413 body too
 * large, 415 not JSON, 422 inputs that do not fit the model, 503 queue full.
 */
export async function createServer(model: string | URL | Uint8Array, options: ServeOptions = {}): Promise<ZooServer> {
  const maxBodyBytes = check('maxBodyBytes', options.maxBodyBytes ?? 4 << 20, 1);
  const requestTimeoutMs = check('requestTimeoutMs', options.requestTimeoutMs ?? 30_000, 1);
  const batching = {
    maxBatch: check('maxBatch', options.maxBatch ?? 32, 1),
    maxWaitMs: check('maxWaitMs', options.maxWaitMs ?? 2, 0),
    maxQueue: check('maxQueue', options.maxQueue ?? 1024, 1),
    concurrency: check('concurrency', options.concurrency ?? 1, 1),
  };
  const bytes = await modelBytes(model);
  const session = await createSession(bytes, { devices: options.devices, logLevel: options.logLevel, sessionOptions: options.sessionOptions });
  let summary: OnnxSummary;
  try {
    summary = inspectOnnx(bytes);
  } catch (e) {
    await session.release();
    throw e;
  }
  const batcher = new DynamicBatcher(session, batching);
  const started = Date.now();
  let closing = false;
  const status: Record<string, number> = {};

  const metadata = () => ({
    inputs: session.inputs,
    outputs: session.outputs,
    provider: session.provider,
    fallbacks: session.fallbacks,
    opset: summary.opset,
    ir_version: summary.irVersion,
    producer: summary.producer,
    metadata_props: summary.metadata,
    batching: { enabled: batcher.notBatchable === null, reason: batcher.notBatchable, ...batching },
    limits: { max_body_bytes: maxBodyBytes, request_timeout_ms: requestTimeoutMs },
    stats: { ...batcher.stats(), responses: { ...status } },
  });

  async function infer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    requireJson(req);
    const body = parseJson((await readBody(req, maxBodyBytes)).toString('utf8'));
    const feeds = feedsFromJson(body, session.inputs);
    const r = await batcher.submit(feeds);
    const outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, t]) => [k, outputToJson(t)]));
    const timings = { queue_ms: r.queueMs, inference_ms: r.inferenceMs, total_ms: performance.now() - t0, batch_rows: r.batchRows, batch_requests: r.batchRequests };
    sendJson(res, 200, { outputs, provider: session.provider, timings });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const method = ROUTES[path];
    if (!method) throw new HttpError(404, 'E_NOT_FOUND', `No route ${path}: use POST /infer, GET /health or GET /metadata`);
    if (req.method !== method) {
      throw new HttpError(405, 'E_METHOD', `${path} takes ${method}, got ${req.method}`, { allow: method });
    }
    if (closing) throw new HttpError(503, 'E_CLOSING', 'The server is shutting down', { connection: 'close' });
    if (path === '/health') return sendJson(res, 200, { status: 'ok', provider: session.provider, uptime_s: (Date.now() - started) / 1000 });
    if (path === '/metadata') return sendJson(res, 200, metadata());
    return infer(req, res);
  }

  const http = createHttpServer(
    { requestTimeout: requestTimeoutMs, headersTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, requestTimeoutMs) },
    (req, res) => {
      res.once('finish', () => (status[res.statusCode] = (status[res.statusCode] ?? 0) + 1));
      handle(req, res).catch((e: unknown) => {
        const error = toHttpError(e);
        // A request whose body was not read to its end (413, 415, ...) cannot keep its connection.
        const close = !req.complete || error.headers.connection === 'close';
        sendError(res, error, close ? { connection: 'close' } : {});
        if (close) res.once('finish', () => req.socket.destroySoon());
      });
    },
  );
  http.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
    const [code, text] = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout'] : err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
    const body = JSON.stringify({ error: { code: code === 408 ? 'E_TIMEOUT' : 'E_BAD_HTTP', message: `${text}: ${err.message}` } });
    status[code] = (status[code] ?? 0) + 1;
    socket.end(`HTTP/1.1 ${code} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  }).catch(async (e) => {
    await session.release();
    throw e;
  });
  const address = http.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    http,
    session,
    batcher,
    metadata,
    async close() {
      if (closing) return;
      closing = true;
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      while (batcher.stats().queued + batcher.stats().inFlight > 0) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 20)); // let the last responses flush
      http.closeAllConnections();
      await closed;
      await session.release();
    },
  };
}
