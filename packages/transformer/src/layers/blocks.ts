/**
 * Transformer blocks as serializable tfjs layers: self-attention (+ cross-attention in the
 * decoder) and a two-layer feed-forward net, each wrapped in a residual connection with layer
 * normalisation before (pre-LN, GPT-2) or after (post-LN, the 2017 paper) the sublayer.
 */
import { tf } from '@neurozoo/core';
import {
  type AttentionOptions,
  type AttentionSpec,
  type AttentionWeights,
  addAttentionWeights,
  attentionSpec,
  multiHeadAttention,
  unpackInputs,
} from './attention.js';
import { activate, type FeedForwardActivation, layerNorm, linear, maybeDropout } from './ops.js';

type Shape = Array<number | null>;
type LayerVariable = tf.LayerVariable;
type AddWeight = (name: string, shape: number[], dtype?: 'float32', init?: ReturnType<typeof tf.initializers.zeros>) => LayerVariable;

/** Options of both blocks. */
export interface BlockArgs extends AttentionOptions {
  /** Hidden width of the feed-forward net (often 4 × model width). */
  ffDim: number;
  /** Feed-forward activation: 'gelu' (default; tanh form) or 'relu'. */
  activation?: FeedForwardActivation;
  /** Pre-LN (true, default) or post-LN (false). */
  normFirst?: boolean;
  /** LayerNormalization epsilon (default 1e-5). */
  epsilon?: number;
  name?: string;
  trainable?: boolean;
}

/** A LayerNormalization's weights. */
export interface NormWeights {
  gamma: LayerVariable;
  beta: LayerVariable;
}

/** Feed-forward weights. */
export interface FeedForwardWeights {
  inner: LayerVariable;
  innerBias: LayerVariable;
  outer: LayerVariable;
  outerBias: LayerVariable;
}

/** What blocks share: options, norms and the feed-forward net. */
export abstract class TransformerBlock extends tf.layers.Layer {
  readonly options: BlockArgs;
  spec!: AttentionSpec;
  norms: NormWeights[] = [];
  ff!: FeedForwardWeights;

  constructor(args: BlockArgs) {
    super({ name: args.name, trainable: args.trainable });
    this.options = { ...args, activation: args.activation ?? 'gelu', normFirst: args.normFirst ?? true, epsilon: args.epsilon ?? 1e-5 };
    delete this.options.name;
    delete this.options.trainable;
  }

  get normFirst(): boolean {
    return this.options.normFirst as boolean;
  }

  get epsilon(): number {
    return this.options.epsilon as number;
  }

  get activation(): FeedForwardActivation {
    return this.options.activation as FeedForwardActivation;
  }

  protected addWeights(width: number, norms: number): void {
    const add = (this as unknown as { addWeight: AddWeight }).addWeight.bind(this);
    const glorot = tf.initializers.glorotUniform({});
    for (let i = 1; i <= norms; i++) {
      this.norms.push({ gamma: add(`ln${i}/gamma`, [width], 'float32', tf.initializers.ones()), beta: add(`ln${i}/beta`, [width], 'float32', tf.initializers.zeros()) });
    }
    this.ff = {
      inner: add('ffn/inner/kernel', [width, this.options.ffDim], 'float32', glorot),
      innerBias: add('ffn/inner/bias', [this.options.ffDim], 'float32', tf.initializers.zeros()),
      outer: add('ffn/outer/kernel', [this.options.ffDim, width], 'float32', glorot),
      outerBias: add('ffn/outer/bias', [width], 'float32', tf.initializers.zeros()),
    };
  }

  protected norm(x: tf.Tensor, i: number): tf.Tensor {
    return layerNorm(x, this.norms[i].gamma, this.norms[i].beta, this.epsilon);
  }

  /** Residual sublayer: pre-LN x + f(LN(x)), post-LN LN(x + f(x)); dropout on f's output. */
  protected residual(x: tf.Tensor, i: number, training: boolean, f: (y: tf.Tensor) => tf.Tensor): tf.Tensor {
    const rate = this.spec.dropout;
    if (this.normFirst) return x.add(maybeDropout(f(this.norm(x, i)), rate, training));
    return this.norm(x.add(maybeDropout(f(x), rate, training)), i);
  }

  protected feedForward(x: tf.Tensor, training: boolean): tf.Tensor {
    const hidden = maybeDropout(activate(linear(x, this.ff.inner, this.ff.innerBias), this.activation), this.spec.dropout, training);
    return linear(hidden, this.ff.outer, this.ff.outerBias);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...(this.options as unknown as tf.serialization.ConfigDict), ...super.getConfig() };
  }
}

/**
 * Encoder block: (masked) self-attention + feed-forward. Call it on `x` [b, T, d] or
 * `[x, keyMask]` (keyMask [b, T], 1 = token, 0 = padding). With `causal: true` it is a
 * GPT-style decoder-only block.
 */
export class TransformerEncoderBlock extends TransformerBlock {
  static className = 'TransformerEncoderBlock';
  attention!: AttentionWeights;

  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const width = s[s.length - 1] as number;
    this.spec = attentionSpec(this.options, width);
    this.attention = addAttentionWeights(this, 'self_attention', this.spec, width, width, width);
    this.addWeights(width, 2);
    this.built = true;
  }

  /** Output and self-attention probabilities [b, H, T, T]. */
  forward(inputs: tf.Tensor | tf.Tensor[], training: boolean): { output: tf.Tensor; probs: tf.Tensor } {
    const [x, mask = null] = unpackInputs(inputs);
    let probs: tf.Tensor | null = null;
    const h = this.residual(x, 0, training, (y) => {
      const r = multiHeadAttention(this.attention, this.spec, y, y, mask, training);
      probs = r.probs;
      return r.output;
    });
    const output = this.residual(h, 1, training, (y) => this.feedForward(y, training));
    return { output, probs: probs as unknown as tf.Tensor };
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => this.forward(inputs, Boolean(kwargs.training)).output);
  }
}

/**
 * Decoder block: causal self-attention, cross-attention over the encoder output, feed-forward.
 * Call it on `[x, memory]` or `[x, memory, memoryMask]` (memoryMask [b, Tm], 1 = token).
 */
export class TransformerDecoderBlock extends TransformerBlock {
  static className = 'TransformerDecoderBlock';
  selfAttention!: AttentionWeights;
  crossAttention!: AttentionWeights;
  crossSpec!: AttentionSpec;

  override build(inputShape: Shape | Shape[]): void {
    const [s, m] = inputShape as Shape[];
    const width = s[s.length - 1] as number;
    this.spec = attentionSpec({ ...this.options, causal: true }, width);
    this.crossSpec = { ...this.spec, causal: false };
    this.selfAttention = addAttentionWeights(this, 'self_attention', this.spec, width, width, width);
    this.crossAttention = addAttentionWeights(this, 'cross_attention', this.crossSpec, width, m[m.length - 1] as number, width);
    this.addWeights(width, 3);
    this.built = true;
  }

  /** Output, self-attention probabilities [b, H, T, T] and cross-attention probabilities [b, H, T, Tm]. */
  forward(inputs: tf.Tensor[], training: boolean): { output: tf.Tensor; probs: tf.Tensor; crossProbs: tf.Tensor } {
    const [x, memory, memoryMask = null] = inputs;
    const probs: tf.Tensor[] = [];
    const h1 = this.residual(x, 0, training, (y) => {
      const r = multiHeadAttention(this.selfAttention, this.spec, y, y, null, training);
      probs.push(r.probs);
      return r.output;
    });
    const h2 = this.residual(h1, 1, training, (y) => {
      const r = multiHeadAttention(this.crossAttention, this.crossSpec, y, memory, memoryMask, training);
      probs.push(r.probs);
      return r.output;
    });
    const output = this.residual(h2, 2, training, (y) => this.feedForward(y, training));
    return { output, probs: probs[0], crossProbs: probs[1] };
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => this.forward(unpackInputs(inputs), Boolean(kwargs.training)).output);
  }
}

for (const cls of [TransformerEncoderBlock, TransformerDecoderBlock]) tf.serialization.registerClass(cls);
