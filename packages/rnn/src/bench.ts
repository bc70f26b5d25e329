/**
 * Training throughput of the (Bi)LSTM classifier at the shapes of the PyTorch peer
 * (/work/shared/peers/bench_lstm.py): sequence 32, input 64, hidden 128, 10 classes from the
 * last state, batch 32, Adam(1e-3), synthetic data.
 */
import { tf, timeSteps } from '@neurozoo/core';
import { sequenceClassifier } from './builders/recurrent.js';

/** Options of {@link benchLstm}. */
export interface BenchLstmOptions {
  bidirectional?: boolean;
  /** Timed wall-clock budget in seconds (default 4, like the peer). */
  seconds?: number;
  /** Untimed warm-up steps (default 3). */
  warmup?: number;
  /** Minimum timed steps (default 5). */
  minSteps?: number;
  batch?: number;
  seq?: number;
}

/** What {@link benchLstm} measures. */
export interface BenchLstmResult {
  model: string;
  samplesPerSecond: number;
  steps: number;
  seconds: number;
  medianStepMs: number;
  backend: string;
}

/**
 * Times `trainOnBatch` steps of an LSTM(128) or BiLSTM(128) classifier on random data (the
 * backend is whatever `initBackend` set up; wasm by default) and returns samples/s.
 *
 * @example
 * await initBackend();
 * const { samplesPerSecond } = await benchLstm({ bidirectional: true });
 */
export async function benchLstm(options: BenchLstmOptions = {}): Promise<BenchLstmResult> {
  const { bidirectional = false, seconds = 4, warmup = 3, minSteps = 5, batch = 32, seq = 32 } = options;
  const model = sequenceClassifier({ steps: seq, features: 64, classes: 10, units: [128], bidirectional, seed: 0 });
  const x = tf.randomNormal([batch, seq, 64], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 2), 10).toFloat();
  try {
    const timing = await timeSteps(() => model.trainOnBatch(x, y), { seconds, warmup, minSteps });
    return {
      model: `${bidirectional ? 'bilstm' : 'lstm'}_seq${seq}_in64_h128`,
      samplesPerSecond: batch * timing.perSecond,
      steps: timing.steps,
      seconds: timing.seconds,
      medianStepMs: timing.medianMs,
      backend: tf.getBackend(),
    };
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}
