/**
 * benchAutoencoder(): training samples/s of the peer autoencoder of
 * ../shared/peers/bench_autoencoder.py (784-64-784, ReLU code, sigmoid output, MSE, Adam 1e-3,
 * batch 128) on the active tfjs backend, optionally beside PyTorch measured in the same run.
 */
import { comparePeer, type PeerComparison, type TrainingBench, tf, timeSteps } from '@neurozoo/core';
import { undercompleteAutoencoder } from './builders/index.js';

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
export interface BenchAutoencoderResult extends TrainingBench {
  /** PyTorch's samples/s from the peer script in the same run, and neurozoo / PyTorch. */
  pytorch?: PeerComparison;
}

/** Trains the peer 784-64-784 autoencoder on random data for `seconds` and reports samples/s. */
export async function benchAutoencoder(options: BenchAutoencoderOptions = {}): Promise<BenchAutoencoderResult> {
  const { batchSize = 128, seconds = 4, warmup = 5 } = options;
  const { model } = undercompleteAutoencoder({ inputSize: 784, code: 64 });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
  const x = tf.randomUniform([batchSize, 784]);
  const timing = await timeSteps(() => model.trainOnBatch(x, x), { seconds, warmup });
  x.dispose();
  model.dispose();
  const result: BenchAutoencoderResult = {
    model: 'autoencoder_784-64-784', backend: tf.getBackend(), samplesPerSecond: timing.perSecond * batchSize, steps: timing.steps,
  };
  const peer = options.peerScript ? comparePeer(options.peerScript, ['--batch', String(batchSize), '--seconds', String(seconds)], result.samplesPerSecond) : null;
  if (peer) result.pytorch = peer;
  return result;
}
