/**
 * MultiHeadAttention: a serializable tfjs layer (tfjs-layers has none). Projections are plain
 * [in, heads*dim] kernels, so a head is a column block; masks are additive biases (causal:
 * by config; padding: a [batch, keys] 1/0 tensor given as the third input).
 */
import { tf } from '@neurozoo/core';
import { attentionProbs, causalBias, linear, maybeDropout, mergeHeads, paddingBias, splitHeads } from './ops.js';

type LayerVariable = tf.LayerVariable;
type Shape = Array<number | null>;

/** Options shared by attention and the blocks that contain it. */
export interface AttentionOptions {
  /** Number of heads. */
  numHeads: number;
  /** Size of each head's queries and keys (default: model width / numHeads). */
  keyDim?: number;
  /** Size of each head's values (default keyDim). */
  valueDim?: number;
  /** Dropout on the attention probabilities while training (default 0). */
  dropout?: number;
  /** Mask future positions (decoder self-attention). Default false. */
  causal?: boolean;
  /** Longest sequence the ONNX causal-mask constant covers (default 512). */
  maxLength?: number;
  useBias?: boolean;
}

/** The eight weights of one attention sublayer (biases are null with useBias false). */
export interface AttentionWeights {
  query: LayerVariable;
  queryBias: LayerVariable | null;
  key: LayerVariable;
  keyBias: LayerVariable | null;
  value: LayerVariable;
  valueBias: LayerVariable | null;
  output: LayerVariable;
  outputBias: LayerVariable | null;
}

/** Resolved attention settings. */
export interface AttentionSpec {
  numHeads: number;
  keyDim: number;
  valueDim: number;
  dropout: number;
  causal: boolean;
  maxLength: number;
  useBias: boolean;
}

/** Fills defaults for a model of width `width`. */
export function attentionSpec(o: AttentionOptions, width: number): AttentionSpec {
  const keyDim = o.keyDim ?? Math.floor(width / o.numHeads);
  return {
    numHeads: o.numHeads,
    keyDim,
    valueDim: o.valueDim ?? keyDim,
    dropout: o.dropout ?? 0,
    causal: o.causal ?? false,
    maxLength: o.maxLength ?? 512,
    useBias: o.useBias ?? true,
  };
}

type AddWeight = (name: string, shape: number[], dtype?: 'float32', init?: ReturnType<typeof tf.initializers.zeros>) => LayerVariable;

/** Creates attention weights on `layer` named `<prefix>/query/kernel` etc. */
export function addAttentionWeights(layer: tf.layers.Layer, prefix: string, s: AttentionSpec, qDim: number, kvDim: number, outDim: number): AttentionWeights {
  const add = (layer as unknown as { addWeight: AddWeight }).addWeight.bind(layer);
  const glorot = tf.initializers.glorotUniform({});
  const zeros = tf.initializers.zeros();
  const proj = (name: string, inDim: number, out: number) => ({
    kernel: add(`${prefix}/${name}/kernel`, [inDim, out], 'float32', glorot),
    bias: s.useBias ? add(`${prefix}/${name}/bias`, [out], 'float32', zeros) : null,
  });
  const q = proj('query', qDim, s.numHeads * s.keyDim);
  const k = proj('key', kvDim, s.numHeads * s.keyDim);
  const v = proj('value', kvDim, s.numHeads * s.valueDim);
  const o = proj('output', s.numHeads * s.valueDim, outDim);
  return { query: q.kernel, queryBias: q.bias, key: k.kernel, keyBias: k.bias, value: v.kernel, valueBias: v.bias, output: o.kernel, outputBias: o.bias };
}

/** Multi-head attention of `query` [b, Tq, dq] over `value` [b, Tk, dkv]; returns the output and the probabilities [b, H, Tq, Tk]. */
export function multiHeadAttention(
  w: AttentionWeights,
  s: AttentionSpec,
  query: tf.Tensor,
  value: tf.Tensor,
  mask: tf.Tensor | null,
  training: boolean,
): { output: tf.Tensor; probs: tf.Tensor } {
  const q = splitHeads(linear(query, w.query, w.queryBias), s.numHeads);
  const k = splitHeads(linear(value, w.key, w.keyBias), s.numHeads);
  const v = splitHeads(linear(value, w.value, w.valueBias), s.numHeads);
  let bias: tf.Tensor | null = s.causal ? causalBias(query.shape[1] as number, value.shape[1] as number) : null;
  if (mask) bias = bias ? bias.add(paddingBias(mask)) : paddingBias(mask);
  const probs = attentionProbs(q, k, bias);
  const context = mergeHeads(tf.matMul(maybeDropout(probs, s.dropout, training), v));
  return { output: linear(context, w.output, w.outputBias), probs };
}

/** Configuration of {@link MultiHeadAttention}. */
export interface MultiHeadAttentionArgs extends AttentionOptions {
  /** Output width (default: the query width). */
  outputDim?: number;
  name?: string;
  trainable?: boolean;
}

/** Splits a layer call's inputs: x, [query, value] or [query, value, keyMask]. */
export function unpackInputs(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(inputs) ? inputs : [inputs];
}

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017). Call it on `x` (self-attention),
 * `[query, value]` (keys = values, e.g. cross-attention), or `[query, value, keyMask]` with a
 * float mask [batch, Tk] (1 = attend, 0 = padding). `causal: true` masks future keys.
 *
 * @example
 * const y = new MultiHeadAttention({ numHeads: 4, causal: true }).apply(x) as tf.SymbolicTensor;
 */
export class MultiHeadAttention extends tf.layers.Layer {
  static className = 'MultiHeadAttention';
  readonly options: MultiHeadAttentionArgs;
  spec!: AttentionSpec;
  weightsOf!: AttentionWeights;

  constructor(args: MultiHeadAttentionArgs) {
    super({ name: args.name, trainable: args.trainable });
    this.options = { ...args };
    delete this.options.name;
    delete this.options.trainable;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    const qDim = shapes[0][shapes[0].length - 1] as number;
    const kv = shapes[1] ?? shapes[0];
    this.spec = attentionSpec(this.options, qDim);
    this.weightsOf = addAttentionWeights(this, 'attention', this.spec, qDim, kv[kv.length - 1] as number, this.options.outputDim ?? qDim);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const q = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...q.slice(0, -1), this.options.outputDim ?? (q[q.length - 1] as number)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const [query, value = query, mask = null] = unpackInputs(inputs);
      return multiHeadAttention(this.weightsOf, this.spec, query, value, mask, Boolean(kwargs.training)).output;
    });
  }

  /** The attention probabilities [b, H, Tq, Tk] for concrete inputs (for pictures). */
  attentionProbabilities(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [query, value = query, mask = null] = unpackInputs(inputs);
      return multiHeadAttention(this.weightsOf, this.spec, query, value, mask, false).probs;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...(this.options as unknown as tf.serialization.ConfigDict), ...super.getConfig() };
  }
}
tf.serialization.registerClass(MultiHeadAttention);
