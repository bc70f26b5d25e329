/**
 * DynamicBatcher: queues concurrent requests and runs them as one onnxruntime call, stacked
 * along the first (batch) dimension, then splits the outputs back per request.
 */
import { BackendError, NeurozooError } from '../errors.js';
import { messageOf } from '../runtime/common.js';
import { sizeOf } from '../runtime/tensors.js';
import type { Feeds, OutputTensor, TensorData, TensorLike, ZooSession } from '../runtime/types.js';
import { type CheckedFeed, checkFeeds } from '../runtime/validate.js';

/** Options of {@link DynamicBatcher}. */
export interface BatcherOptions {
  /** Most rows (sum of the requests' batch sizes) in one run; 1 turns batching off. Default 32. */
  maxBatch?: number;
  /** How long the oldest queued request waits for others before its batch runs, in ms. Default 2. */
  maxWaitMs?: number;
  /** Most requests waiting; more are refused with {@link BusyError}. Default 1024. */
  maxQueue?: number;
  /** Runs in flight at once on the session. Default 1: requests arriving meanwhile form the next batch. */
  concurrency?: number;
}

/** What one request gets back. */
export interface BatchResult {
  outputs: Record<string, OutputTensor>;
  /** Rows in the run that served this request (its own included). */
  batchRows: number;
  /** Requests in that run. */
  batchRequests: number;
  queueMs: number;
  inferenceMs: number;
}

/** Counters since start. */
export interface BatcherStats {
  requests: number;
  batches: number;
  rows: number;
  maxBatchRows: number;
  maxBatchRequests: number;
  /** Requests waiting for a run. */
  queued: number;
  /** Runs in progress. */
  inFlight: number;
}

/** The queue is full: the server answers 503. */
export class BusyError extends NeurozooError {
  constructor(message: string) {
    super('E_BUSY', message);
  }
}

interface Pending {
  feeds: CheckedFeed[];
  rows: number;
  /** Requests with equal keys can share a run; null: this one always runs alone. */
  key: string | null;
  enqueued: number;
  resolve(r: BatchResult): void;
  reject(e: unknown): void;
}

/** Why a model cannot be batched, or null when every input and output has a symbolic first dim. */
export function batchProblem(session: Pick<ZooSession, 'inputs' | 'outputs'>): string | null {
  const first = session.inputs[0]?.dims?.[0];
  if (session.inputs.length === 0) return 'the model has no inputs';
  for (const v of session.inputs) {
    if (!v.dims || v.dims.length === 0 || typeof v.dims[0] !== 'string') return `input '${v.name}' has no symbolic batch dimension`;
    if (v.dims[0] !== first) return `inputs name their first dimension differently ('${first}', '${v.dims[0]}')`;
  }
  for (const v of session.outputs) {
    if (v.dims && (v.dims.length === 0 || typeof v.dims[0] !== 'string')) return `output '${v.name}' has no symbolic batch dimension`;
  }
  return null;
}

function concat(parts: CheckedFeed[], rows: number): CheckedFeed {
  const head = parts[0];
  const data = head.data as TensorData | string[];
  let out: TensorData | string[];
  if (Array.isArray(data)) out = parts.flatMap((p) => p.data as string[]);
  else {
    const total = parts.reduce((n, p) => n + (p.data as TensorData).length, 0);
    const joined = new (data.constructor as new (n: number) => TensorData)(total);
    let at = 0;
    for (const p of parts) {
      (joined as Float32Array).set(p.data as Float32Array, at);
      at += (p.data as TensorData).length;
    }
    out = joined;
  }
  return { name: head.name, type: head.type, data: out, dims: [rows, ...head.dims.slice(1)] };
}

/** Queues requests and runs them in batches on one session; see {@link BatcherOptions}. */
export class DynamicBatcher {
  /** Why requests are never stacked for this model (each runs alone), or null when they are. */
  readonly notBatchable: string | null;
  readonly maxBatch: number;
  readonly maxWaitMs: number;
  readonly maxQueue: number;
  readonly concurrency: number;
  #queue: Pending[] = [];
  #inFlight = 0;
  #timer: NodeJS.Timeout | null = null;
  #stats = { requests: 0, batches: 0, rows: 0, maxBatchRows: 0, maxBatchRequests: 0 };

  constructor(
    readonly session: ZooSession,
    options: BatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 32;
    this.maxWaitMs = options.maxWaitMs ?? 2;
    this.maxQueue = options.maxQueue ?? 1024;
    this.concurrency = options.concurrency ?? 1;
    this.notBatchable = this.maxBatch <= 1 ? 'maxBatch is 1' : batchProblem(session);
  }

  /** Checks `feeds` against the model (ShapeError at once) and resolves when its batch has run. */
  submit(feeds: Feeds): Promise<BatchResult> {
    const checked = checkFeeds(feeds, this.session.inputs);
    if (this.#queue.length >= this.maxQueue) {
      return Promise.reject(new BusyError(`The request queue is full (${this.maxQueue} waiting); retry later`));
    }
    const rows = checked[0]?.dims[0] ?? 1;
    const sameRows = checked.every((f) => f.dims[0] === rows);
    const key = this.notBatchable || !sameRows ? null : checked.map((f) => `${f.type}[${f.dims.slice(1).join(',')}]`).join(';');
    return new Promise((resolve, reject) => {
      this.#queue.push({ feeds: checked, rows, key, enqueued: performance.now(), resolve, reject });
      this.#stats.requests++;
      this.#schedule();
    });
  }

  /** Counters since start, for /metadata. */
  stats(): BatcherStats {
    return { ...this.#stats, queued: this.#queue.length, inFlight: this.#inFlight };
  }

  #schedule(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.concurrency) {
      const waited = performance.now() - this.#queue[0].enqueued;
      const rows = this.#queue.reduce((n, p) => n + p.rows, 0);
      if (this.notBatchable === null && rows < this.maxBatch && waited < this.maxWaitMs) {
        this.#timer ??= setTimeout(() => {
          this.#timer = null;
          this.#schedule();
        }, this.maxWaitMs - waited);
        return;
      }
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
      this.#run(this.#take());
    }
  }

  /** The oldest request and every later one with the same key, up to maxBatch rows. */
  #take(): Pending[] {
    const first = this.#queue[0];
    const batch = [first];
    let rows = first.rows;
    if (first.key !== null) {
      for (const p of this.#queue.slice(1)) {
        if (p.key === first.key && rows + p.rows <= this.maxBatch) {
          batch.push(p);
          rows += p.rows;
        }
      }
    }
    const taken = new Set(batch);
    this.#queue = this.#queue.filter((p) => !taken.has(p));
    return batch;
  }

  async #run(batch: Pending[]): Promise<void> {
    this.#inFlight++;
    const rows = batch.reduce((n, p) => n + p.rows, 0);
    const s = this.#stats;
    s.batches++;
    s.rows += rows;
    s.maxBatchRows = Math.max(s.maxBatchRows, rows);
    s.maxBatchRequests = Math.max(s.maxBatchRequests, batch.length);
    const start = performance.now();
    try {
      const outputs = await this.#infer(batch, rows);
      const inferenceMs = performance.now() - start;
      batch.forEach((p, i) =>
        p.resolve({ outputs: outputs[i], batchRows: rows, batchRequests: batch.length, queueMs: start - p.enqueued, inferenceMs }),
      );
    } catch (error) {
      const e = error instanceof NeurozooError ? error : new BackendError(messageOf(error));
      for (const p of batch) p.reject(e);
    } finally {
      this.#inFlight--;
      this.#schedule();
    }
  }

  /** Runs the batch and returns each request's outputs; re-runs one by one if an output cannot be split by rows. */
  async #infer(batch: Pending[], rows: number): Promise<Array<Record<string, OutputTensor>>> {
    const run = (feeds: CheckedFeed[]) => this.session.run(Object.fromEntries(feeds.map((f) => [f.name, f as TensorLike])));
    if (batch.length === 1) return [await run(batch[0].feeds)];
    const stacked = batch[0].feeds.map((_f, i) => concat(batch.map((p) => p.feeds[i]), rows));
    const out = await run(stacked);
    if (Object.values(out).some((t) => t.dims[0] !== rows)) return Promise.all(batch.map((p) => run(p.feeds)));
    let offset = 0;
    return batch.map((p) => {
      const part: Record<string, OutputTensor> = {};
      for (const [name, t] of Object.entries(out)) {
        const per = t.dims[0] === 0 ? 0 : sizeOf(t.dims) / t.dims[0];
        part[name] = { data: t.data.slice(offset * per, (offset + p.rows) * per), dims: [p.rows, ...t.dims.slice(1)], type: t.type };
      }
      offset += p.rows;
      return part;
    });
  }
}
