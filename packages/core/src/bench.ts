/**
 * What every benchmark shares (the families' `bench*` functions and `pnpm bench`): timing steps
 * the way the PyTorch peers of ../shared/peers do (untimed warm-up, then steps until a wall-clock
 * budget is spent), and running a peer script for its figure in the same run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Options of {@link timeSteps}. */
export interface TimeStepsOptions {
  /** Timed wall-clock budget in seconds (default 4, like the peers). */
  seconds?: number;
  /** Untimed steps first (default 3). */
  warmup?: number;
  /** Timed steps at least, even past the budget (default 3). */
  minSteps?: number;
}

/** What {@link timeSteps} measured. */
export interface StepTiming {
  steps: number;
  /** Wall-clock seconds of the timed steps. */
  seconds: number;
  /** Steps per second over the timed steps. */
  perSecond: number;
  /** Median milliseconds of one step. */
  medianMs: number;
}

/**
 * Times `step` (awaited, so a step that reads its result back is timed to completion).
 *
 * @example
 * const { perSecond } = await timeSteps(() => model.trainOnBatch(x, y), { seconds: 2 });
 */
export async function timeSteps(step: () => unknown, options: TimeStepsOptions = {}): Promise<StepTiming> {
  const { seconds = 4, warmup = 3, minSteps = 3 } = options;
  for (let i = 0; i < warmup; i++) await step();
  const times: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 || times.length < minSteps) {
    const s = performance.now();
    await step();
    times.push(performance.now() - s);
  }
  const elapsed = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  return { steps: times.length, seconds: elapsed, perSecond: times.length / elapsed, medianMs: times[times.length >> 1] };
}

/**
 * Runs a peer script with Debian's /usr/bin/python3 and reads `key` (e.g. 'samples_per_s') from
 * the last JSON line it prints. Null when the script does not exist; `{ error }` with the
 * script's last error line when it fails (e.g. python3-torch missing).
 */
export function peerThroughput(script: string, args: readonly string[], key = 'samples_per_s'): { perSecond: number } | { error: string } | null {
  if (!existsSync(script)) return null;
  const run = spawnSync('/usr/bin/python3', [script, ...args], { encoding: 'utf8' });
  try {
    const value = Number((JSON.parse(run.stdout?.trim().split('\n').pop() ?? '') as Record<string, unknown>)[key]);
    if (!Number.isFinite(value)) throw new Error(`no ${key}`);
    return { perSecond: value };
  } catch (err) {
    return { error: (run.stderr || run.error?.message || (err as Error).message || 'no output').trim().split('\n').pop() ?? 'failed' };
  }
}

/** A peer's figure beside ours: its samples/s and ours / its, or why it could not run. */
export type PeerComparison = { samplesPerSecond: number; ratio: number } | { error: string };

/** What a family's training benchmark measured (its result adds the peers' figures). */
export interface TrainingBench {
  /** The benchmarked model, e.g. 'cnn_same' or 'rbm_784-128_cd1'. */
  model: string;
  /** The tfjs backend it ran on. */
  backend: string;
  samplesPerSecond: number;
  /** Timed training steps. */
  steps: number;
}

/**
 * Runs a peer script with {@link peerThroughput} and compares `ours` (samples/s) with its
 * `samples_per_s`. Null when the script does not exist.
 */
export function comparePeer(script: string, args: readonly string[], ours: number): PeerComparison | null {
  const peer = peerThroughput(script, args);
  if (!peer) return null;
  return 'error' in peer ? peer : { samplesPerSecond: peer.perSecond, ratio: ours / peer.perSecond };
}
