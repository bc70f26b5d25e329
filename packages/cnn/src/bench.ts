/**
 * benchCnn(): training samples/s of the peer CNN of ../shared/peers/bench_cnn.py
 * (conv5x5x32-ReLU-maxpool2, conv5x5x64-ReLU-maxpool2, dense 10 on 28x28x1, Adam 1e-3, batch 64)
 * on the active tfjs backend, optionally beside PyTorch measured in the same run.
 */
import { comparePeer, type PeerComparison, type TrainingBench, tf, timeSteps } from '@neurozoo/core';
import { createSession } from '@neurozoo/core/runtime';
import { cnn, mnistNet } from './builders/index.js';
import { exportCnnOnnx } from './export.js';

/** Options of {@link benchCnn}. */
export interface BenchCnnOptions {
  /** 'valid' (Keras/tfjs default: dense in 1024) or 'same' (dense in 3136). Default 'valid'. */
  padding?: 'valid' | 'same';
  batchSize?: number;
  /** Timed wall-clock budget in seconds (default 4), after `warmup` untimed steps (default 3). */
  seconds?: number;
  warmup?: number;
  /** Path of bench_cnn.py to run with /usr/bin/python3 for the PyTorch figure (skipped when absent). */
  peerScript?: string;
}

/** What {@link benchCnn} measured. */
export interface BenchCnnResult extends TrainingBench {
  /** PyTorch's samples/s from the peer script in the same run, and neurozoo / PyTorch. */
  pytorch?: PeerComparison;
}

/** Trains the peer CNN on random data for `seconds` and reports samples/s (see {@link BenchCnnOptions}). */
export async function benchCnn(options: BenchCnnOptions = {}): Promise<BenchCnnResult> {
  const { padding = 'valid', batchSize = 64, seconds = 4, warmup = 3 } = options;
  const model = cnn({
    inputShape: [28, 28, 1],
    stages: [
      { filters: 32, kernelSize: 5, padding, pool: { type: 'max', size: 2 } },
      { filters: 64, kernelSize: 5, padding, pool: { type: 'max', size: 2 } },
    ],
    name: `peer_cnn_${padding}`,
  }, 0);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const x = tf.randomUniform([batchSize, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([batchSize], 0, 10, 'int32'), 10).toFloat();
  const timing = await timeSteps(() => model.trainOnBatch(x, y), { seconds, warmup });
  tf.dispose([x, y]);
  model.dispose();
  const result: BenchCnnResult = { model: `cnn_${padding}`, backend: tf.getBackend(), samplesPerSecond: timing.perSecond * batchSize, steps: timing.steps };
  const peer = options.peerScript ? comparePeer(options.peerScript, ['--padding', padding, '--batch', String(batchSize), '--seconds', String(seconds)], result.samplesPerSecond) : null;
  if (peer) result.pytorch = peer;
  return result;
}

/** What {@link benchCnnInference} measured: median milliseconds per call, by batch size. */
export interface InferenceBench {
  model: string;
  backend: string;
  /** batch -> { tfjs, onnxruntime } median ms per predict/run call, and tfjs / onnxruntime. */
  latencyMs: Record<number, { tfjs: number; onnxruntime: number; speedup: number }>;
}

async function median(fn: () => unknown, repeats: number): Promise<number> {
  return (await timeSteps(fn, { seconds: 0, warmup: 2, minSteps: repeats })).medianMs;
}

/**
 * Inference latency of a CNN (default: `mnistNet()`), tfjs `predict` on the active backend vs
 * the exported ONNX model in onnxruntime-node (CPU), on the same random inputs.
 */
export async function benchCnnInference(model: tf.LayersModel = mnistNet({}, 0), batches: number[] = [1, 64], repeats = 20): Promise<InferenceBench> {
  const session = await createSession(await exportCnnOnnx(model), { devices: ['cpu'] });
  const latencyMs: InferenceBench['latencyMs'] = {};
  const shape = model.inputs[0].shape.slice(1) as number[];
  for (const batch of batches) {
    const x = tf.randomUniform([batch, ...shape]);
    const data = x.dataSync() as Float32Array;
    const tfjs = await median(() => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()), repeats);
    const ort = await median(() => session.run({ data, dims: [batch, ...shape] }), repeats);
    latencyMs[batch] = { tfjs, onnxruntime: ort, speedup: tfjs / ort };
    x.dispose();
  }
  await session.release();
  return { model: model.name, backend: tf.getBackend(), latencyMs };
}
