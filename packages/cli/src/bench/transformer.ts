/**
 * The causal transformer LM of bench_transformer.py in tfjs ops (tfjs-layers has no
 * attention layer): token embedding (one-hot matmul, so its gradient is a matmul too)
 * + learned positions, 2 post-LN encoder layers (2 heads, ReLU FFN 256, dropout 0.1),
 * vocab head; softmax cross-entropy over all positions, Adam 1e-3.
 */
import { tf } from '@neurozoo/core';
import type { BenchModel } from './models.js';

const V = 96;
const D = 64;
const H = 2;
const FF = 256;
const LAYERS = 2;
const DROP = 0.1;

function weight(shape: number[], scale = Math.sqrt(1 / shape[0])): tf.Variable {
  return tf.variable(tf.mul(tf.randomNormal(shape), scale));
}

function layerNorm(x: tf.Tensor2D, g: tf.Variable, b: tf.Variable): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
}

/** Builds the model and returns a training step over one fixed batch of token ids. */
export function transformerStep(batch = 32, seq = 64): BenchModel {
  const layers = Array.from({ length: LAYERS }, () => ({
    wqkv: weight([D, 3 * D]), bqkv: tf.variable(tf.zeros([3 * D])), wo: weight([D, D]), bo: tf.variable(tf.zeros([D])),
    w1: weight([D, FF]), b1: tf.variable(tf.zeros([FF])), w2: weight([FF, D]), b2: tf.variable(tf.zeros([D])),
    g1: tf.variable(tf.ones([D])), n1: tf.variable(tf.zeros([D])), g2: tf.variable(tf.ones([D])), n2: tf.variable(tf.zeros([D])),
  }));
  const tok = weight([V, D], 1);
  const pos = weight([seq, D], 0.02);
  const head = weight([D, V]);
  const headB = tf.variable(tf.zeros([V]));
  const ids = tf.randomUniform([batch * seq], 0, V, 'int32');
  const targets = tf.tidy(() => tf.oneHot(tf.randomUniform([batch * seq], 0, V, 'int32'), V).toFloat());
  const inputs = tf.tidy(() => tf.oneHot(ids, V).toFloat());
  // -1e9 above the diagonal: position t attends to positions <= t.
  const mask = tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([seq, seq]), -1, 0)), -1e9));
  const dh = D / H;
  const optimizer = tf.train.adam(1e-3);

  const forward = (): tf.Scalar => {
    let x = tf.add(tf.reshape(tf.mul(tf.matMul(inputs, tok), Math.sqrt(D)), [batch, seq, D]), pos).reshape([batch * seq, D]) as tf.Tensor2D;
    for (const l of layers) {
      const qkv = tf.transpose(tf.reshape(tf.add(tf.matMul(x, l.wqkv), l.bqkv), [batch, seq, 3, H, dh]), [2, 0, 3, 1, 4]);
      const [q, k, v] = tf.unstack(qkv) as tf.Tensor4D[];
      const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), mask);
      const ctx = tf.matMul(tf.dropout(tf.softmax(scores), DROP), v);
      const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [batch * seq, D]);
      const attn = tf.dropout(tf.add(tf.matMul(merged, l.wo), l.bo), DROP);
      x = layerNorm(tf.add(x, attn), l.g1, l.n1);
      const ff = tf.dropout(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, l.w1), l.b1)), l.w2), l.b2), DROP);
      x = layerNorm(tf.add(x, ff), l.g2, l.n2);
    }
    return tf.losses.softmaxCrossEntropy(targets, tf.add(tf.matMul(x, head), headB)) as tf.Scalar;
  };
  const vars = [tok, pos, head, headB, ...layers.flatMap((l) => Object.values(l))];
  return {
    batch,
    step: () => {
      const loss = optimizer.minimize(forward, true, vars);
      loss?.dataSync();
      loss?.dispose();
    },
    dispose: () => {
      tf.dispose([...vars, ids, targets, inputs, mask]);
      optimizer.dispose();
    },
  };
}
