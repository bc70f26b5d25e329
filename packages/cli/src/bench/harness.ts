/** Timing and peer helpers of `pnpm bench` (same protocol as ../shared/peers/common.py). */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '@neurozoo/core';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);

export type PeerResult = { samples_per_s?: number; gflops_best?: number; [k: string]: unknown };

/** Runs one peer script with Debian's python; null (with the reason printed) when it cannot run. */
export function peer(peersDir: string, script: string, args: string[] = [], timed = true): PeerResult[] | null {
  const path = join(peersDir, script);
  if (!existsSync(path)) {
    console.log(`  (peer ${script} not found in ${peersDir}; set NEUROZOO_PEERS)`);
    return null;
  }
  try {
    const out = execFileSync('/usr/bin/python3', [path, ...(timed ? ['--seconds', String(SECONDS)] : []), ...args], { cwd: peersDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  } catch (err) {
    console.log(`  (peer ${script} failed: ${String((err as Error).message).split('\n')[0]}; apt-get install -y python3-torch python3-sklearn)`);
    return null;
  }
}

/** Times `step` like the peers: warm-up, then repeat until SECONDS have passed (min steps). */
export async function timeSteps(step: () => Promise<unknown> | unknown, warmup = 5, minSteps = 10): Promise<{ perSecond: number; medianMs: number }> {
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

/** Reads a result (forcing the computation) and frees it. */
export function readAndDispose(t: tf.Tensor): void {
  t.dataSync();
  t.dispose();
}

/** Median GFLOP/s of an n x n fp32 matmul on the active backend. */
export async function matmulGflops(n: number): Promise<number> {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const { medianMs } = await timeSteps(() => readAndDispose(tf.matMul(a, b)), 2, 5);
  tf.dispose([a, b]);
  return (2 * n ** 3) / (medianMs / 1000) / 1e9;
}

export const fmt = (v: number | undefined, digits = 0) => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits));
export const loadavg = async () => (await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ');
