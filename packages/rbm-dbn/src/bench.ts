/**
 * benchRbm(): CD-1 training samples/s of a Bernoulli RBM 784-128 (batch 64, lr 0.1, the
 * update of ../shared/peers/bench_rbm_torch.py: up, sample, down, up, three parameter updates)
 * on the active tfjs backend, optionally beside the PyTorch and scikit-learn peers run in the
 * same call, with the ratios neurozoo / peer.
 */
import { comparePeer, type PeerComparison, type TrainingBench, Rng, tf, timeSteps } from '@neurozoo/core';
import { RBM } from './rbm.js';
import { fitRbm } from './train.js';

/** Options of {@link benchRbm}. */
export interface BenchRbmOptions {
  batchSize?: number;
  hidden?: number;
  /** Timed wall-clock budget in seconds (default 4). */
  seconds?: number;
  /** Peer scripts to run with /usr/bin/python3 (skipped when absent). */
  peers?: { torch?: string; sklearn?: string };
}

/** A peer's figure, or why it is missing. */
export type PeerResult = PeerComparison;

/** What {@link benchRbm} measured. */
export interface BenchRbmResult extends TrainingBench {
  peers: Record<string, PeerResult>;
}

function runPeer(script: string, batchSize: number, seconds: number, ours: number): PeerResult {
  return comparePeer(script, ['--batch', String(batchSize), '--seconds', String(seconds)], ours) ?? { error: `${script} not found` };
}

/** Trains RBM 784-`hidden` by CD-1 on random binary data (density 0.13) for `seconds`; see the module comment. */
export async function benchRbm(options: BenchRbmOptions = {}): Promise<BenchRbmResult> {
  const { batchSize = 64, hidden = 128, seconds = 4 } = options;
  const rng = new Rng(0);
  const rows = batchSize * 64;
  const data = Float32Array.from({ length: rows * 784 }, () => (rng.next() < 0.13 ? 1 : 0));
  const rbm = new RBM({ visible: 784, hidden });
  const common = { batchSize, learningRate: 0.1, momentum: 0, finalMomentum: 0, weightDecay: 0, monitorSize: batchSize };
  await fitRbm(rbm, data.subarray(0, batchSize * 4 * 784), { ...common, epochs: 1 }); // warm-up
  // One timed call = one epoch over the 64 batches of `data`.
  let epochs = 0;
  const timing = await timeSteps(() => fitRbm(rbm, data, { ...common, epochs: 1, seed: 64 * epochs++ }), { seconds, warmup: 0, minSteps: 1 });
  rbm.dispose();
  const steps = 64 * timing.steps;
  const ours = timing.perSecond * 64 * batchSize;
  const peers: Record<string, PeerResult> = {};
  if (options.peers?.torch) peers.torch = runPeer(options.peers.torch, batchSize, seconds, ours);
  if (options.peers?.sklearn) peers.sklearn = runPeer(options.peers.sklearn, batchSize, seconds, ours);
  return { model: `rbm_784-${hidden}_cd1`, backend: tf.getBackend(), samplesPerSecond: ours, steps, peers };
}
