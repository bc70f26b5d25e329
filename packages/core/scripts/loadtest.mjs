#!/usr/bin/env node
/**
 * `pnpm --filter @neurozoo/core run loadtest`: a bounded loopback load test of the inference
 * server, with and without dynamic batching. The server runs in a child process (so client and
 * server do not share an event loop) on two MLPs with random weights: MNIST-sized 784-256-128-10
 * (HTTP and JSON dominate) and a wider 784-1024-1024-10 (inference dominates).
 * Env: LOADTEST_REQUESTS (default 10000 per scenario), LOADTEST_CONCURRENCY (default 64).
 * Needs `pnpm build` first (it imports dist/).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';
import { createServer, loadTest } from '../dist/serve/index.js';

const { onnx } = onnxProto;
const REQUESTS = Number(process.env.LOADTEST_REQUESTS ?? 10_000);
const CONCURRENCY = Number(process.env.LOADTEST_CONCURRENCY ?? 64);

if (process.argv[2] === '--child') {
  const extra = process.env.LOADTEST_SESSION ? { sessionOptions: JSON.parse(process.env.LOADTEST_SESSION) } : {};
  const server = await createServer(process.argv[3], { port: 0, devices: ['cpu'], ...extra, ...JSON.parse(process.argv[4]) });
  process.send({ url: server.url });
  let cpu = process.cpuUsage();
  let before = server.batcher.stats();
  process.on('message', async (msg) => {
    if (msg === 'mark') {
      cpu = process.cpuUsage();
      before = server.batcher.stats();
      return process.send({});
    }
    const used = process.cpuUsage(cpu);
    const after = server.batcher.stats();
    await server.close();
    const stats = { requests: after.requests - before.requests, batches: after.batches - before.batches, rows: after.rows - before.rows };
    process.send({ stats, cpuMs: (used.user + used.system) / 1000 }, () => process.exit(0));
  });
} else {
  await main();
}

/** A seeded MLP with softmax, e.g. sizes [784, 256, 128, 10]: input `x` [batch, 784], output `probs` [batch, 10]. */
function mlpModel(sizes) {
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 0.1;
  const F = onnx.TensorProto.DataType.FLOAT;
  const vi = (name, dims) => ({ name, type: { tensorType: { elemType: F, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } });
  const node = [];
  const initializer = [];
  let prev = 'x';
  for (let l = 0; l < sizes.length - 1; l++) {
    const [n, m] = [sizes[l], sizes[l + 1]];
    initializer.push({ name: `W${l}`, dims: [n, m], dataType: F, floatData: Array.from({ length: n * m }, rand) });
    initializer.push({ name: `b${l}`, dims: [m], dataType: F, floatData: Array.from({ length: m }, rand) });
    node.push({ opType: 'Gemm', input: [prev, `W${l}`, `b${l}`], output: [`h${l}`], name: `dense${l}` });
    prev = `h${l}`;
    if (l < sizes.length - 2) node.push({ opType: 'Relu', input: [prev], output: [(prev = `r${l}`)], name: `relu${l}` });
  }
  node.push({ opType: 'Softmax', input: [prev], output: ['probs'], name: 'softmax', attribute: [{ name: 'axis', type: 2, i: -1 }] });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'neurozoo-loadtest',
    opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'mlp', node, initializer, input: [vi('x', ['batch', 784])], output: [vi('probs', ['batch', 10])] },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Starts a server child with `options`, runs a warm-up and the measured load, stops the child. */
async function scenario(modelPath, bodies, options) {
  const child = fork(fileURLToPath(import.meta.url), ['--child', modelPath, JSON.stringify(options)], { stdio: 'inherit' });
  const { url } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`server child exited with code ${code}`)));
  });
  const ask = (msg) => new Promise((resolve) => {
    child.once('message', resolve);
    child.send(msg);
  });
  await loadTest({ url, bodies, requests: Math.min(1000, REQUESTS), concurrency: CONCURRENCY });
  await ask('mark');
  const result = await loadTest({ url, bodies, requests: REQUESTS, concurrency: CONCURRENCY, timeLimitMs: 120_000 });
  const { stats, cpuMs } = await ask('close');
  return { ...result, stats, cpuUsPerRequest: (cpuMs * 1000) / stats.requests };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'nz-loadtest-'));
  let seed = 7;
  const pixel = () => Math.round(((seed = (seed * 48271) % 2147483647) / 2147483647) * 255) / 255;
  const bodies = Array.from({ length: 64 }, () => JSON.stringify({ inputs: { x: { data: Array.from({ length: 784 }, pixel), dims: [1, 784] } } }));
  console.log(`loopback load test: ${REQUESTS} single-row requests per scenario (after a warm-up), ${CONCURRENCY} concurrent clients, body ${bodies[0].length} bytes`);
  const scenarios = [
    ['batching off (maxBatch 1)', { maxBatch: 1 }],
    ['batching off (maxBatch 1, 2 runs in flight)', { maxBatch: 1, concurrency: 2 }],
    ['batching on (maxBatch 32, maxWaitMs 2)', { maxBatch: 32, maxWaitMs: 2 }],
  ];
  let errors = 0;
  for (const sizes of [[784, 256, 128, 10], [784, 1024, 1024, 10]]) {
    const modelPath = join(dir, `mlp-${sizes.join('-')}.onnx`);
    writeFileSync(modelPath, mlpModel(sizes));
    console.log(`MLP ${sizes.join('-')}:`);
    const rows = [];
    for (const [name, options] of scenarios) {
      const r = await scenario(modelPath, bodies, options);
      const meanBatch = r.stats.rows / r.stats.batches;
      rows.push(r);
      errors += r.errors;
      console.log(
        `  ${name.padEnd(44)} ${r.throughput.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2).padStart(6)} ms  p99 ${r.p99Ms.toFixed(2).padStart(7)} ms  ` +
          `server CPU ${r.cpuUsPerRequest.toFixed(0).padStart(4)} us/req  mean batch ${meanBatch.toFixed(1).padStart(4)}  errors ${r.errors}${r.timedOut ? '  (time limit hit)' : ''}`,
      );
    }
    const best = Math.max(rows[0].throughput, rows[1].throughput);
    const cpuBest = Math.min(rows[0].cpuUsPerRequest, rows[1].cpuUsPerRequest);
    console.log(`  batching on / best batching off: throughput ${(rows[2].throughput / best).toFixed(2)}x, server CPU per request ${(rows[2].cpuUsPerRequest / cpuBest).toFixed(2)}x`);
  }
  console.log(`(load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} CPUs, shared by client and server: compare numbers from one run only)`);
  if (errors > 0) {
    console.error(`${errors} requests failed`);
    process.exitCode = 1;
  }
}
