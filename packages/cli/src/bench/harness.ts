/** Timing and peer helpers of `pnpm bench` (same protocol as ../shared/peers/common.py). */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type StepTiming, tf, timeSteps as timeStepsFor } from '@neurozoo/core';

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
export function timeSteps(step: () => unknown, warmup = 5, minSteps = 10): Promise<StepTiming> {
  return timeStepsFor(step, { seconds: SECONDS, warmup, minSteps });
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
