/**
 * benchTransformer(): training tokens/s of the peer transformer LM of
 * ../shared/peers/bench_transformer.py (d_model 64, 2 heads, 2 post-LN layers, ReLU FFN 256,
 * dropout 0.1, learned positions, seq 64, vocab 96, 32 sequences, Adam 1e-3, next-token CE over
 * every position) on the active tfjs backend, optionally beside PyTorch measured in the same run.
 */
import { peerThroughput, type TrainingBench, tf, timeSteps } from '@neurozoo/core';
import { buildGpt, lossModel, meanOfOutput } from './builders/gpt.js';

/** Options of {@link benchTransformer}. */
export interface BenchTransformerOptions {
  /** Sequences per step (default 32). */
  batchSize?: number;
  /** Tokens per sequence (default 64). */
  seq?: number;
  vocab?: number;
  /** Timed wall-clock budget in seconds (default 4), after `warmup` untimed steps (default 3). */
  seconds?: number;
  warmup?: number;
  /** Path of bench_transformer.py to run with /usr/bin/python3 for the PyTorch figure (skipped when absent). */
  peerScript?: string;
}

/** What {@link benchTransformer} measured: core's {@link TrainingBench} plus tokens/s and parameters. */
export interface BenchTransformerResult extends TrainingBench {
  tokensPerSecond: number;
  params: number;
  /** PyTorch's tokens/s from the peer script in the same run, and neurozoo / PyTorch. */
  pytorch?: { tokensPerSecond: number; ratio: number } | { error: string };
}

/** Trains the peer LM on random ids for `seconds` and reports sequences/s and tokens/s. */
export async function benchTransformer(options: BenchTransformerOptions = {}): Promise<BenchTransformerResult> {
  const { batchSize = 32, seq = 64, vocab = 96, seconds = 4, warmup = 3 } = options;
  const lm = buildGpt({ vocabSize: vocab, contextLength: seq, dim: 64, heads: 2, layers: 2, ffDim: 256, dropout: 0.1, normFirst: false, activation: 'relu', name: 'peer_lm' }, 0);
  const trainer = lossModel(lm);
  trainer.compile({ optimizer: tf.train.adam(1e-3), loss: meanOfOutput });
  const ids = tf.randomUniform([batchSize, seq + 1], 0, vocab, 'int32');
  const x = ids.slice([0, 0], [batchSize, seq]).toFloat();
  const y = ids.slice([0, 1], [batchSize, seq]).toFloat();
  const dummy = tf.zeros([batchSize, 1]);
  const timing = await timeSteps(() => trainer.trainOnBatch([x, y], dummy), { seconds, warmup });
  const params = lm.countParams();
  tf.dispose([ids, x, y, dummy]);
  lm.dispose();
  const samplesPerSecond = timing.perSecond * batchSize;
  const result: BenchTransformerResult = {
    model: 'transformer_lm_d64_h2_l2_seq64', backend: tf.getBackend(), samplesPerSecond, tokensPerSecond: samplesPerSecond * seq, steps: timing.steps, params,
  };
  const args = ['--batch', String(batchSize), '--seq', String(seq), '--vocab', String(vocab), '--seconds', String(seconds)];
  const peer = options.peerScript ? peerThroughput(options.peerScript, args, 'tokens_per_s') : null;
  if (peer) result.pytorch = 'error' in peer ? peer : { tokensPerSecond: peer.perSecond, ratio: result.tokensPerSecond / peer.perSecond };
  return result;
}
