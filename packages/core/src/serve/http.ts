/**
 * HTTP plumbing of the inference server: errors with a status and a stable code, bounded body
 * reading, JSON responses, and the conversion of a JSON request body into checked-ready feeds.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ShapeError } from '../errors.js';
import type { DType, OutputTensor, TensorData, TensorLike, ValueInfo } from '../runtime/types.js';

/** An error that becomes the HTTP response `status` with body `{ error: { code, message } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Writes `body` as JSON with `status`; a no-op when the response was already sent or the socket is gone. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Sends an {@link HttpError} in the API's error format, with `extra` headers. */
export function sendError(res: ServerResponse, error: HttpError, extra: Record<string, string> = {}): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, { ...error.headers, ...extra });
}

/**
 * Reads the whole request body, refusing more than `limit` bytes with 413 — from Content-Length
 * before reading anything, or as soon as a chunked body passes the limit.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = (size: string) =>
    new HttpError(413, 'E_TOO_LARGE', `Request body of ${size} exceeds the limit of ${limit} bytes (maxBodyBytes)`, { connection: 'close' });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(`${declared} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.resume(); // discard the rest; the connection closes after the 413
        reject(tooLarge(`more than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('aborted', () => reject(new HttpError(400, 'E_ABORTED', 'The client aborted the request')));
  });
}

/** Checks the Content-Type is JSON (415 otherwise). */
export function requireJson(req: IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, 'E_MEDIA_TYPE', `Content-Type must be application/json, got ${type ? `'${type}'` : 'none'}`);
  }
}

/** Parses JSON text, or 400 with the parser's reason. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, 'E_BAD_JSON', `Request body is not valid JSON: ${(e as Error).message}`);
  }
}

const INT_RANGES: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

const ARRAYS: Partial<Record<DType, (n: number) => TensorData>> = {
  float32: (n) => new Float32Array(n),
  float64: (n) => new Float64Array(n),
  int8: (n) => new Int8Array(n),
  uint8: (n) => new Uint8Array(n),
  bool: (n) => new Uint8Array(n),
  int16: (n) => new Int16Array(n),
  uint16: (n) => new Uint16Array(n),
  int32: (n) => new Int32Array(n),
  uint32: (n) => new Uint32Array(n),
  int64: (n) => new BigInt64Array(n),
  uint64: (n) => new BigUint64Array(n),
};

/** JSON values of one input -> the typed array of its dtype, checking every element (422 via ShapeError). */
function toData(name: string, values: unknown[], dtype: DType): TensorData | string[] {
  if (dtype === 'string') {
    const bad = values.findIndex((v) => typeof v !== 'string');
    if (bad >= 0) throw new ShapeError(`Input '${name}' data[${bad}] is ${JSON.stringify(values[bad])}: string inputs take strings`);
    return values as string[];
  }
  const make = ARRAYS[dtype];
  if (!make) throw new ShapeError(`Input '${name}' has dtype ${dtype}, which the JSON API cannot carry`);
  const out = make(values.length);
  const range = INT_RANGES[dtype];
  const big = dtype === 'int64' || dtype === 'uint64';
  for (let i = 0; i < values.length; i++) {
    let v = values[i];
    if (dtype === 'bool' && typeof v === 'boolean') v = v ? 1 : 0;
    if (typeof v !== 'number') {
      throw new ShapeError(`Input '${name}' data[${i}] is ${JSON.stringify(v) ?? String(v)}: ${dtype} inputs take numbers${Array.isArray(v) ? ' in a flat array (give the shape in dims)' : ''}`);
    }
    if (range && (!Number.isInteger(v) || v < range[0] || v > range[1])) {
      throw new ShapeError(`Input '${name}' data[${i}] is ${v}: ${dtype} inputs take integers in [${range[0]}, ${range[1]}]`);
    }
    if (dtype === 'bool' && v !== 0 && v !== 1) throw new ShapeError(`Input '${name}' data[${i}] is ${v}: bool inputs take true/false or 0/1`);
    (out as unknown as Array<number | bigint>)[i] = big ? BigInt(v) : v;
  }
  return out;
}

const SHAPE_HINT = '{ "inputs": { "<name>": { "data": [...], "dims": [...] } } }';

/**
 * Turns a parsed request body into feeds by input name with data in each input's dtype.
 * 400 when the body is not of the form {@link SHAPE_HINT}; 422 (ShapeError) for bad tensors.
 * Names, dims and data lengths are checked later against the model by `checkFeeds`.
 */
export function feedsFromJson(body: unknown, inputs: readonly ValueInfo[]): Record<string, TensorLike> {
  const raw = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).inputs : undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new HttpError(400, 'E_BAD_REQUEST', `Request body must be a JSON object ${SHAPE_HINT}`);
  }
  const single = 'data' in raw || 'dims' in raw;
  if (single && inputs.length !== 1) {
    throw new ShapeError(`The model has ${inputs.length} inputs (${inputs.map((i) => `'${i.name}'`).join(', ')}): name each under "inputs"`);
  }
  const record = (single ? { [inputs[0].name]: raw } : raw) as Record<string, unknown>;
  const feeds: Record<string, TensorLike> = {};
  for (const [name, value] of Object.entries(record)) {
    const t = value as { data?: unknown; dims?: unknown; type?: unknown };
    if (typeof t !== 'object' || t === null || !Array.isArray(t.data) || !Array.isArray(t.dims)) {
      throw new ShapeError(`Input '${name}' must be an object { "data": [...], "dims": [...] } with flat data`);
    }
    if (t.type !== undefined && typeof t.type !== 'string') throw new ShapeError(`Input '${name}' has a non-string "type"`);
    const info = inputs.find((i) => i.name === name);
    // Unknown names pass through untouched: checkFeeds reports them with the list of valid ones.
    const data = info ? toData(name, t.data, info.dtype) : (t.data as number[]);
    feeds[name] = { data, dims: t.dims as number[], ...(t.type ? { type: t.type as DType } : {}) };
  }
  return feeds;
}

/** An output as JSON: plain arrays (int64 as numbers), dims and type. */
export function outputToJson(t: OutputTensor): { data: unknown[]; dims: number[]; type: string } {
  const data = Array.isArray(t.data) ? t.data : Array.from(t.data as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? Number(v) : v));
  return { data, dims: t.dims, type: t.type };
}
