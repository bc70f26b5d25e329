/**
 * benchAutoencoder(): training samples/s of the peer autoencoder of
 * ../shared/peers/bench_autoencoder.py (784-64-784, ReLU code, sigmoid output, MSE, Adam 1e-3,
 * batch 128) on the active tfjs backend, optionally beside PyTorch measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tf } from '@neurozoo/core';
import { undercompleteAutoencoder } from './builders.js';

/** Options of {@link benchAutoencoder}. */
export interface BenchAutoencoderOptions {
  /** Samples per step (default 128, as the peer). */
  batchSize?: number;
  /** Timed wall-clock budget in seconds (default 4), after `warmup` untimed steps (default 5). */
  seconds?: number;
  warmup?: number;
  /** Path of bench_autoencoder.py to run with /usr/bin/python3 for the PyTorch figure (skipped when absent). */
  peerScript?: string;
}

/** What {@link benchAutoencoder} measured. */
export interface BenchAutoencoderResult {
  model: string;
  backend: string;
  samplesPerSecond: number;
  steps: number;
  /** PyTorch's samples/s from the peer script in the same run, and neurozoo / PyTorch. */
  pytorch?: { samplesPerSecond: number; ratio: number } | { error: string };
}

/** Trains the peer 784-64-784 autoencoder on random data for `seconds` and reports samples/s. */
export async function benchAutoencoder(options: BenchAutoencoderOptions = {}): Promise<BenchAutoencoderResult> {
  const { batchSize = 128, seconds = 4, warmup = 5 } = options;
  const { model } = undercompleteAutoencoder({ inputSize: 784, code: 64 });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const x = tf.randomUniform([batchSize, 784]);
  for (let i = 0; i < warmup; i++) await model.trainOnBatch(x, x);
  let steps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 || steps < 3) {
    await model.trainOnBatch(x, x);
    steps++;
  }
  const elapsed = (performance.now() - t0) / 1000;
  x.dispose();
  model.dispose();
  const result: BenchAutoencoderResult = {
    model: 'autoencoder_784-64-784', backend: tf.getBackend(), samplesPerSecond: (steps * batchSize) / elapsed, steps,
  };
  if (options.peerScript && existsSync(options.peerScript)) {
    const run = spawnSync('/usr/bin/python3', [options.peerScript, '--batch', String(batchSize), '--seconds', String(seconds)], { encoding: 'utf8' });
    const line = run.stdout?.trim().split('\n').pop();
    try {
      const torch = JSON.parse(line ?? '') as { samples_per_s: number };
      result.pytorch = { samplesPerSecond: torch.samples_per_s, ratio: result.samplesPerSecond / torch.samples_per_s };
    } catch {
      result.pytorch = { error: (run.stderr || run.error?.message || 'no output').trim().split('\n').pop() ?? 'failed' };
    }
  }
  return result;
}
