/**
 * The peer models of ../shared/peers rebuilt with plain tfjs (layers where tfjs-layers
 * has them; the (Bi)LSTM with @neurozoo/rnn's builder, which adds its fused LSTM path), each as a training step on synthetic data with the peer's batch size,
 * loss and optimizer (Adam 1e-3; the RBM is a manual CD-1 SGD step).
 */
import { tf } from '@neurozoo/core';
import { sequenceClassifier } from '@neurozoo/rnn';
import { transformerStep } from './transformer.js';

/** One benchmark model: a step to time, its batch, and fp32 FLOP per sample (training). */
export interface BenchModel {
  step(): Promise<unknown> | unknown;
  batch: number;
  dispose(): void;
}

/** FLOP per sample of one training step (forward + backward ~ 3x forward multiply-adds x 2). */
export const FLOP_PER_SAMPLE: Record<string, number> = {
  mlp: 6 * (784 * 256 + 256 * 128 + 128 * 10),
  autoencoder: 6 * (784 * 64 + 64 * 784),
  cnn_valid: 6 * (24 * 24 * 32 * 25 + 8 * 8 * 64 * 800 + 1024 * 10),
  cnn_same: 6 * (28 * 28 * 32 * 25 + 14 * 14 * 64 * 800 + 3136 * 10),
  lstm: 6 * (32 * 4 * 128 * (64 + 128) + 128 * 10),
  bilstm: 6 * (2 * 32 * 4 * 128 * (64 + 128) + 256 * 10),
  transformer: 6 * 64 * (2 * (64 * 192 + 64 * 64 + 2 * 64 * 256 + 2 * 64 * 64) + 64 * 96),
  rbm: 2 * 5 * 784 * 128,
};

/** A compiled tfjs-layers model trained with trainOnBatch (what model.fit runs per batch). */
function layersModel(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, loss: string, batch: number): BenchModel {
  model.compile({ optimizer: tf.train.adam(1e-3), loss });
  return {
    batch,
    step: () => model.trainOnBatch(x, y),
    dispose: () => {
      tf.dispose([x, y]);
      model.dispose();
    },
  };
}

const oneHot = (batch: number, classes: number) => tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, classes, 'int32'), classes).toFloat());

function dense(sizes: number[], activations: string[]): tf.Sequential {
  const m = tf.sequential();
  sizes.slice(1).forEach((units, i) => {
    m.add(tf.layers.dense({ units, activation: activations[i] as 'relu', ...(i === 0 ? { inputShape: [sizes[0]] } : {}) }));
  });
  return m;
}

function cnn(padding: 'valid' | 'same', batch = 64): BenchModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ filters: 32, kernelSize: 5, padding, activation: 'relu', inputShape: [28, 28, 1] }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 64, kernelSize: 5, padding, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return layersModel(m, tf.randomUniform([batch, 28, 28, 1]), oneHot(batch, 10), 'categoricalCrossentropy', batch);
}

/** @neurozoo/rnn's classifier (sigmoid gates as in PyTorch; its import turns on the fused LSTM path). */
function lstm(bidirectional: boolean, batch = 32, seq = 32): BenchModel {
  const m = sequenceClassifier({ steps: seq, features: 64, classes: 10, units: [128], bidirectional });
  return layersModel(m, tf.randomNormal([batch, seq, 64]), oneHot(batch, 10), 'categoricalCrossentropy', batch);
}

/** CD-1 Bernoulli RBM 784-128, SGD lr 0.1, batch 64, as bench_rbm_torch.py. */
function rbm(batch = 64): BenchModel {
  const W = tf.variable(tf.mul(tf.randomNormal([784, 128]), 0.01));
  const bv = tf.variable(tf.zeros([784]));
  const bh = tf.variable(tf.zeros([128]));
  const data = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([batch * 8, 784]), 0.13), 'float32'));
  let i = 0;
  const lr = 0.1;
  const step = () =>
    tf.tidy(() => {
      const v0 = tf.slice(data, [(i++ % 8) * batch, 0], [batch, 784]);
      const ph0 = tf.sigmoid(tf.add(tf.matMul(v0, W), bh));
      const h0 = tf.cast(tf.less(tf.randomUniform(ph0.shape), ph0), 'float32');
      const pv1 = tf.sigmoid(tf.add(tf.matMul(h0, W, false, true), bv));
      const ph1 = tf.sigmoid(tf.add(tf.matMul(pv1, W), bh));
      const dW = tf.sub(tf.matMul(v0, ph0, true, false), tf.matMul(pv1, ph1, true, false));
      W.assign(tf.add(W, tf.mul(dW, lr / batch)));
      bv.assign(tf.add(bv, tf.mul(tf.mean(tf.sub(v0, pv1), 0), lr)));
      bh.assign(tf.add(bh, tf.mul(tf.mean(tf.sub(ph0, ph1), 0), lr)));
      W.dataSync(); // force the step, like the other models' loss read-back
    });
  return { batch, step, dispose: () => tf.dispose([W, bv, bh, data]) };
}

/** Builders by the names used in the table (peer script and args alongside). */
export const MODELS: Record<string, { build(): BenchModel; peer: [string, string[]]; label: string }> = {
  mlp: { label: 'MLP 784-256-128-10 (128)', peer: ['bench_mlp.py', []], build: () => layersModel(dense([784, 256, 128, 10], ['relu', 'relu', 'softmax']), tf.randomUniform([128, 784]), oneHot(128, 10), 'categoricalCrossentropy', 128) },
  autoencoder: {
    label: 'autoencoder 784-64-784 (128)', peer: ['bench_autoencoder.py', []],
    build: () => {
      const x = tf.randomUniform([128, 784]);
      return layersModel(dense([784, 64, 784], ['relu', 'sigmoid']), x, x.clone(), 'meanSquaredError', 128);
    },
  },
  cnn_valid: { label: 'CNN valid (64)', peer: ['bench_cnn.py', ['--padding', 'valid']], build: () => cnn('valid') },
  cnn_same: { label: 'CNN same (64)', peer: ['bench_cnn.py', ['--padding', 'same']], build: () => cnn('same') },
  lstm: { label: 'LSTM seq32 in64 h128 (32)', peer: ['bench_lstm.py', []], build: () => lstm(false) },
  bilstm: { label: 'BiLSTM seq32 in64 h128 (32)', peer: ['bench_lstm.py', ['--bidirectional']], build: () => lstm(true) },
  transformer: { label: 'transformer LM d64 L2 seq64 (32 seqs)', peer: ['bench_transformer.py', []], build: () => transformerStep() },
  rbm: { label: 'RBM 784-128 CD-1 (64)', peer: ['bench_rbm_torch.py', []], build: () => rbm() },
};
