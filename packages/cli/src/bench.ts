/**
 * `pnpm bench`: neurozoo's training and inference speed beside the PyTorch peers in
 * ../shared/peers, all measured in this run (machines are shared and noisy: only ratios
 * measured together are comparable). Prints a table and writes out/bench.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportOnnx, initBackend, tf } from '@neurozoo/core';
import { createSession } from '@neurozoo/core/runtime';
import { mlp } from '@neurozoo/perceptron';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const peersDir = process.env.NEUROZOO_PEERS ?? resolve(repoRoot, '../shared/peers');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);

type PeerResult = { samples_per_s?: number; gflops_best?: number; backend?: string; [k: string]: unknown };

/** Runs one peer script with Debian's python; null (with the reason printed) when it cannot run. */
function peer(script: string, args: string[] = []): PeerResult[] | null {
  const path = join(peersDir, script);
  if (!existsSync(path)) {
    console.log(`  (peer ${script} not found in ${peersDir}; set NEUROZOO_PEERS)`);
    return null;
  }
  try {
    const out = execFileSync('/usr/bin/python3', [path, '--seconds', String(SECONDS), ...args], { cwd: peersDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  } catch (err) {
    console.log(`  (peer ${script} failed: ${String((err as Error).message).split('\n')[0]}; apt-get install -y python3-torch python3-sklearn)`);
    return null;
  }
}

/** Times `step` like the peers: warm-up, then repeat until SECONDS have passed. */
async function timeSteps(step: () => Promise<unknown> | unknown, warmup = 5, minSteps = 10): Promise<{ perSecond: number; medianMs: number }> {
  for (let i = 0; i < warmup; i++) await step();
  const times: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000 || times.length < minSteps) {
    const s = performance.now();
    await step();
    times.push(performance.now() - s);
  }
  const elapsed = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  return { perSecond: times.length / elapsed, medianMs: times[times.length >> 1] };
}

/** Reads a result (forcing the computation) and frees it. Not inside tf.tidy: returning a big typed array from tidy walks every element. */
function readAndDispose(t: tf.Tensor): void {
  t.dataSync();
  t.dispose();
}

async function matmulGflops(n = 1024): Promise<number> {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const { medianMs } = await timeSteps(() => readAndDispose(tf.matMul(a, b)), 2, 5);
  tf.dispose([a, b]);
  return (2 * n ** 3) / (medianMs / 1000) / 1e9;
}

/** MLP 784-256-128-10, Adam 1e-3, batch 128: one step = forward + backward + update, as in bench_mlp.py. */
async function mlpTraining(batch = 128): Promise<number> {
  const model = mlp({ inputSize: 784, hidden: [256, 128], outputs: 10, seed: 0 });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const x = tf.randomUniform([batch, 784]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10).toFloat();
  const { perSecond } = await timeSteps(() => model.trainOnBatch(x, y));
  tf.dispose([x, y]);
  model.dispose();
  return perSecond * batch;
}

async function inferenceLatency() {
  const model = mlp({ inputSize: 784, hidden: [256, 128], outputs: 10, seed: 0 });
  const session = await createSession(await exportOnnx(model), { devices: ['cpu'] });
  const rows: Record<string, number> = {};
  for (const batch of [1, 256]) {
    const data = Float32Array.from({ length: batch * 784 }, () => Math.random());
    const x = tf.tensor2d(data, [batch, 784]);
    const ort = await timeSteps(() => session.run({ data, dims: [batch, 784] }));
    const tfjs = await timeSteps(() => readAndDispose(model.predict(x) as tf.Tensor));
    rows[`ort_b${batch}_ms`] = ort.medianMs;
    rows[`tfjs_b${batch}_ms`] = tfjs.medianMs;
    x.dispose();
  }
  await session.release();
  return rows;
}

const fmt = (v: number | undefined, digits = 0) => (v === undefined ? 'n/a' : v.toFixed(digits));
const ratio = (a: number, b: number | undefined) => (b ? (a / b).toFixed(3) : 'n/a');
const MLP_TRAIN_FLOP = 3 * 2 * (784 * 256 + 256 * 128 + 128 * 10);

async function main() {
  const results: Record<string, unknown> = { date: new Date().toISOString(), seconds: SECONDS };
  console.log('neurozoo bench (2 threads for the peers; tfjs wasm is single-threaded in Node)\n');
  const matmulPeer = peer('bench_matmul.py');
  const peak = Math.max(...(matmulPeer ?? []).map((r) => Number(r.gflops_best ?? 0)), 0) || undefined;
  const mlpPeer = peer('bench_mlp.py')?.[0]?.samples_per_s;
  results.peers = { matmulPeakGflops: peak, mlpSamplesPerSecond: mlpPeer };
  console.log(`matmul 1024 fp32 peak (PyTorch/numpy, this run): ${fmt(peak, 1)} GFLOP/s`);

  console.log('\nMLP 784-256-128-10 training, batch 128 (samples/s)');
  console.log('backend  neurozoo   PyTorch   ratio  GFLOP/s  of peak  matmul GFLOP/s');
  for (const backend of ['wasm', 'cpu'] as const) {
    await initBackend({ backend });
    const mm = await matmulGflops(backend === 'cpu' ? 512 : 1024);
    const sps = await mlpTraining();
    const gflops = (sps * MLP_TRAIN_FLOP) / 1e9;
    results[`mlp_${backend}`] = { samplesPerSecond: sps, ratio: mlpPeer ? sps / mlpPeer : null, gflops, matmulGflops: mm };
    console.log(`${backend.padEnd(8)} ${fmt(sps).padStart(8)}  ${fmt(mlpPeer).padStart(8)}  ${ratio(sps, mlpPeer).padStart(6)}  ${gflops.toFixed(1).padStart(7)}  ${peak ? `${((100 * gflops) / peak).toFixed(1)}%` : 'n/a'}  ${mm.toFixed(1)}`);
  }

  await initBackend({ backend: 'wasm' });
  const latency = await inferenceLatency();
  results.inference = latency;
  console.log('\nMLP inference: onnxruntime-node (cpu) vs tfjs (wasm), median ms per call');
  for (const b of [1, 256]) {
    const ort = latency[`ort_b${b}_ms`];
    const tfjs = latency[`tfjs_b${b}_ms`];
    console.log(`batch ${String(b).padEnd(4)} onnxruntime ${ort.toFixed(3)} ms  tfjs ${tfjs.toFixed(3)} ms  speed-up ${(tfjs / ort).toFixed(1)}x  (${fmt((b * 1000) / ort)} vs ${fmt((b * 1000) / tfjs)} samples/s)`);
  }
  mkdirSync(join(repoRoot, 'out'), { recursive: true });
  writeFileSync(join(repoRoot, 'out', 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${join(repoRoot, 'out', 'bench.json')}`);
}

await main();
