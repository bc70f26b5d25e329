/**
 * A bounded HTTP load generator for the inference server: a fixed number of keep-alive
 * workers post request bodies until `requests` are done or `timeLimitMs` has passed.
 */
import { Agent, request } from 'node:http';

/** Options of {@link loadTest}. */
export interface LoadTestOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** JSON bodies to post to `/infer`, used in turn. */
  bodies: readonly string[];
  /** Requests to send in all (default 10 000). */
  requests?: number;
  /** Requests in flight at once (default 32). */
  concurrency?: number;
  /** Stop sending after this many ms even if `requests` are not done (default 60 000). */
  timeLimitMs?: number;
  /** Each request fails after this many ms (default 10 000). */
  requestTimeoutMs?: number;
}

/** What {@link loadTest} measured. */
export interface LoadTestResult {
  /** Requests completed (any status). */
  completed: number;
  /** Requests that failed: a non-200 status, a socket error or a timeout. */
  errors: number;
  /** Count per status code; `error` for failures without one. */
  statuses: Record<string, number>;
  seconds: number;
  /** Completed requests per second. */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  /** Whether the time limit stopped the run before `requests` were sent. */
  timedOut: boolean;
}

function post(agent: Agent, url: URL, body: string, timeoutMs: number): Promise<number | 'error'> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve('error'));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve('error'));
    req.end(body);
  });
}

const percentile = (sorted: number[], q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);

/** Runs the load and returns throughput and latency percentiles (ms, over completed requests). */
export async function loadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const total = options.requests ?? 10_000;
  const concurrency = options.concurrency ?? 32;
  const deadline = performance.now() + (options.timeLimitMs ?? 60_000);
  const target = new URL('/infer', options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let timedOut = false;
  const start = performance.now();
  const worker = async () => {
    while (sent < total) {
      if (performance.now() > deadline) {
        timedOut = true;
        return;
      }
      const body = options.bodies[sent++ % options.bodies.length];
      const t0 = performance.now();
      const status = await post(agent, target, body, options.requestTimeoutMs ?? 10_000);
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const ok = statuses['200'] ?? 0;
  return {
    completed: latencies.length,
    errors: latencies.length - ok,
    statuses,
    seconds,
    throughput: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    timedOut,
  };
}
