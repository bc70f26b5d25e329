/**
 * `pnpm bench`: neurozoo's training speed on every backend beside the PyTorch peers in
 * ../shared/peers, all measured in this run (machines are shared and noisy: only ratios
 * measured together are comparable; each model's backends and its peer run back to
 * back). Prints a table and writes out/bench.json. Env: BENCH_SECONDS (default 4),
 * BENCH_MODELS / BENCH_BACKENDS (comma lists), NEUROZOO_PEERS (peer folder).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCnnInference } from '@neurozoo/cnn';
import { type BackendName, exportOnnx, initBackend, tf } from '@neurozoo/core';
import { createSession } from '@neurozoo/core/runtime';
import { mlp } from '@neurozoo/perceptron';
import { fmt, loadavg, matmulGflops, peer, readAndDispose, SECONDS, timeSteps } from './bench/harness.js';
import { FLOP_PER_SAMPLE, MODELS } from './bench/models.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const peersDir = process.env.NEUROZOO_PEERS ?? resolve(repoRoot, '../shared/peers');
const list = (v: string | undefined, all: string[]) => (v ? v.split(',').filter((s) => all.includes(s)) : all);
/** The pure-JS cpu backend takes seconds per step on conv/recurrent models: only the small ones. */
const CPU_MODELS = new Set(['mlp', 'autoencoder', 'rbm']);

async function backends(): Promise<BackendName[]> {
  const wanted = list(process.env.BENCH_BACKENDS, ['native', 'wasm', 'cpu']) as BackendName[];
  const out: BackendName[] = [];
  for (const b of wanted) {
    try {
      await initBackend({ backend: b });
      out.push(b);
    } catch (err) {
      console.log(`  (backend ${b} unavailable: ${(err as Error).message})`);
    }
  }
  return out;
}

async function inferenceLatency() {
  const model = mlp({ inputSize: 784, hidden: [256, 128], outputs: 10, seed: 0 });
  const session = await createSession(await exportOnnx(model), { devices: ['cpu'] });
  const rows: Record<string, number> = {};
  for (const batch of [1, 256]) {
    const data = Float32Array.from({ length: batch * 784 }, () => Math.random());
    const x = tf.tensor2d(data, [batch, 784]);
    rows[`ort_b${batch}_ms`] = (await timeSteps(() => session.run({ data, dims: [batch, 784] }))).medianMs;
    rows[`tfjs_b${batch}_ms`] = (await timeSteps(() => readAndDispose(model.predict(x) as tf.Tensor))).medianMs;
    x.dispose();
  }
  await session.release();
  model.dispose();
  return rows;
}

async function main() {
  const results: Record<string, unknown> = { date: new Date().toISOString(), seconds: SECONDS, loadavgStart: await loadavg() };
  console.log(`neurozoo bench (${SECONDS} s per measurement; load average ${results.loadavgStart})`);
  console.log('PyTorch 1.13 peers with 2 threads; native = tfjs cpu storage + @neurozoo/native kernels (2 threads); wasm single-threaded.\n');
  const active = await backends();
  const peak = Math.max(0, ...(peer(peersDir, 'bench_matmul.py', ['--reps', '10'], false) ?? []).map((r) => Number(r.gflops_best ?? 0))) || undefined;
  const matmul: Record<string, number> = {};
  for (const b of active) {
    await initBackend({ backend: b });
    matmul[b] = await matmulGflops(b === 'cpu' ? 256 : 1024);
  }
  results.matmul = { peerPeakGflops: peak, ...matmul };
  console.log(`fp32 matmul peak (PyTorch/numpy 1024, this run): ${fmt(peak, 1)} GFLOP/s; neurozoo: ${active.map((b) => `${b} ${fmt(matmul[b], 1)}`).join(', ')} GFLOP/s\n`);

  console.log(`${'model'.padEnd(38)}${'backend'.padEnd(8)}${'samples/s'.padStart(10)}${'PyTorch'.padStart(10)}${'ratio'.padStart(8)}${'GFLOP/s'.padStart(9)}${'of peak'.padStart(9)}`);
  const rows: Record<string, unknown>[] = [];
  for (const name of list(process.env.BENCH_MODELS, Object.keys(MODELS))) {
    const spec = MODELS[name];
    const torch = peer(peersDir, spec.peer[0], spec.peer[1])?.[0]?.samples_per_s;
    for (const b of active) {
      if (b === 'cpu' && !CPU_MODELS.has(name)) continue;
      await initBackend({ backend: b });
      const model = spec.build();
      let sps: number;
      try {
        sps = (await timeSteps(() => model.step())).perSecond * model.batch;
      } catch (err) {
        console.log(`${spec.label.padEnd(38)}${b.padEnd(8)} failed: ${(err as Error).message.split('\n')[0]}`);
        continue;
      } finally {
        model.dispose();
      }
      const gflops = (sps * FLOP_PER_SAMPLE[name]) / 1e9;
      const ratio = torch ? sps / torch : undefined;
      rows.push({ model: name, backend: b, samplesPerSecond: sps, pytorch: torch, ratio, gflops, ofPeak: peak ? gflops / peak : undefined });
      console.log(`${spec.label.padEnd(38)}${b.padEnd(8)}${fmt(sps).padStart(10)}${fmt(torch).padStart(10)}${fmt(ratio, 3).padStart(8)}${gflops.toFixed(1).padStart(9)}${(peak ? `${((100 * gflops) / peak).toFixed(1)}%` : 'n/a').padStart(9)}`);
    }
  }
  results.training = rows;

  if (process.env.BENCH_INFERENCE !== '0') {
    await initBackend({ backend: 'wasm' });
    const latency = await inferenceLatency();
    results.inference = latency;
    console.log('\nMLP inference: onnxruntime-node (cpu) vs tfjs (wasm), median ms per call');
    for (const b of [1, 256]) {
      const ort = latency[`ort_b${b}_ms`];
      const tfjs = latency[`tfjs_b${b}_ms`];
      console.log(`batch ${String(b).padEnd(4)} onnxruntime ${ort.toFixed(3)} ms  tfjs ${tfjs.toFixed(3)} ms  speed-up ${(tfjs / ort).toFixed(1)}x`);
    }
    const cnn = await benchCnnInference();
    results.cnnInference = cnn.latencyMs;
    console.log('\nCNN (cnn family default MNIST net) inference: onnxruntime-node (cpu) vs tfjs (wasm), median ms per call');
    for (const [b, r] of Object.entries(cnn.latencyMs)) {
      console.log(`batch ${b.padEnd(4)} onnxruntime ${r.onnxruntime.toFixed(3)} ms  tfjs ${r.tfjs.toFixed(3)} ms  speed-up ${r.speedup.toFixed(1)}x`);
    }
  }
  results.loadavgEnd = await loadavg();
  console.log(`\nload average at the end: ${results.loadavgEnd}`);
  mkdirSync(join(repoRoot, 'out'), { recursive: true });
  writeFileSync(join(repoRoot, 'out', 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${join(repoRoot, 'out', 'bench.json')}`);
}

await main();
