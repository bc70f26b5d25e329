/**
 * The tfjs math the transformer layers share: linear maps, layer normalisation, GELU, masks and
 * scaled dot-product attention. Each function mirrors an emitter in `emit.ts` op for op, so the
 * ONNX graphs compute what tfjs computes in the same order.
 */
import { tf } from '@neurozoo/core';

/** What a masked score gets added: exp(-1e9 - max) is exactly 0 in float32, in tfjs and onnxruntime. */
export const MASK_VALUE = -1e9;

type Var = { read(): tf.Tensor };

/** x [..., in] · kernel [in, out] + bias, as a 2-D product (fast on wasm) reshaped back. */
export function linear(x: tf.Tensor, kernel: Var, bias?: Var | null): tf.Tensor {
  const k = kernel.read();
  const inDim = x.shape[x.shape.length - 1];
  const y = tf.matMul(x.reshape([-1, inDim]), k).reshape([...x.shape.slice(0, -1), k.shape[1] as number]);
  return bias ? tf.add(y, bias.read()) : y;
}

/** Layer normalisation over the last axis (population variance, as ONNX LayerNormalization). */
export function layerNorm(x: tf.Tensor, gamma: Var, beta: Var, epsilon: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.sub(x, mean).div(tf.sqrt(tf.add(variance, epsilon))).mul(gamma.read()).add(beta.read());
}

/** Feed-forward activations the blocks offer. GELU is the tanh approximation (GPT-2's). */
export type FeedForwardActivation = 'gelu' | 'relu';

/** GELU, tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). ONNX opset 17 has no Gelu op. */
export function gelu(x: tf.Tensor): tf.Tensor {
  const inner = tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)).mul(Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/** Applies a feed-forward activation. */
export function activate(x: tf.Tensor, activation: FeedForwardActivation): tf.Tensor {
  return activation === 'gelu' ? gelu(x) : tf.relu(x);
}

/** [b, T, H*d] -> [b, H, T, d]. */
export function splitHeads(x: tf.Tensor, heads: number): tf.Tensor {
  const [b, t, hd] = x.shape;
  return x.reshape([b, t, heads, hd / heads]).transpose([0, 2, 1, 3]);
}

/** [b, H, T, d] -> [b, T, H*d]. */
export function mergeHeads(x: tf.Tensor): tf.Tensor {
  const [b, h, t, d] = x.shape;
  return x.transpose([0, 2, 1, 3]).reshape([b, t, h * d]);
}

/**
 * Additive attention bias [1, 1, Tq, Tk] that lets query i see keys j <= i + (Tk - Tq) (the
 * newest Tq positions of a sequence of Tk), MASK_VALUE elsewhere.
 */
export function causalBias(tq: number, tk: number): tf.Tensor {
  const band = tf.linalg.bandPart(tf.ones([tq, tk]), -1, tk - tq);
  return tf.sub(1, band).mul(MASK_VALUE).reshape([1, 1, tq, tk]);
}

/** Additive bias [b, 1, 1, Tk] from a key mask [b, Tk] (1 = real token, 0 = padding). */
export function paddingBias(mask: tf.Tensor): tf.Tensor {
  return tf.sub(1, mask).mul(MASK_VALUE).reshape([mask.shape[0] as number, 1, 1, mask.shape[1] as number]);
}

/**
 * softmax(q kᵀ / sqrt(d) + bias) over the keys, for q [b, H, Tq, d], k [b, H, Tk, d]:
 * the attention probabilities [b, H, Tq, Tk].
 */
export function attentionProbs(q: tf.Tensor, k: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
  let scores = tf.matMul(q, k, false, true).mul(1 / Math.sqrt(q.shape[3] as number));
  if (bias) scores = scores.add(bias);
  return tf.softmax(scores, -1);
}

/** tf.dropout when training with rate > 0, else x. */
export function maybeDropout(x: tf.Tensor, rate: number, training: boolean): tf.Tensor {
  return training && rate > 0 ? tf.dropout(x, rate) : x;
}
