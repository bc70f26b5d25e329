/**
 * Positional information for attention, which by itself ignores order: sinusoidal encodings
 * (Vaswani et al.), learned position embeddings, and token + position embedding in one layer.
 * Each adds the rows [0, T) of a [maxLength, d] table to its input.
 */
import { ShapeError, tf } from '@neurozoo/core';

type Shape = Array<number | null>;
type AddWeight = (name: string, shape: number[], dtype?: 'float32', init?: ReturnType<typeof tf.initializers.zeros>) => tf.LayerVariable;

/** The sinusoidal table [maxLength, dim]: sin on even columns, cos on odd ones, wavelengths up to 10000·2π. */
export function sinusoidalTable(maxLength: number, dim: number): Float32Array {
  const table = new Float32Array(maxLength * dim);
  for (let p = 0; p < maxLength; p++) {
    for (let i = 0; i < dim; i++) {
      const angle = p / 10000 ** ((2 * Math.floor(i / 2)) / dim);
      table[p * dim + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return table;
}

/** Base options of the positional layers. */
export interface PositionalArgs {
  /** Longest sequence (rows of the table). */
  maxLength: number;
  name?: string;
  trainable?: boolean;
}

function checkLength(layer: string, t: number, maxLength: number): void {
  if (t > maxLength) throw new ShapeError(`${layer}: sequence of ${t} positions is longer than maxLength ${maxLength}.`);
}

/** x [b, T, d] + sinusoidal encodings of positions 0..T-1. No weights. */
export class SinusoidalPositionEncoding extends tf.layers.Layer {
  static className = 'SinusoidalPositionEncoding';
  readonly maxLength: number;
  private table: tf.Tensor | null = null;

  constructor(args: PositionalArgs) {
    super({ name: args.name, trainable: args.trainable });
    this.maxLength = args.maxLength;
  }

  /** The [maxLength, d] table as a tensor (kept by the layer). */
  tableFor(dim: number): tf.Tensor {
    if (!this.table || this.table.shape[1] !== dim) this.table = tf.keep(tf.tensor2d(sinusoidalTable(this.maxLength, dim), [this.maxLength, dim]));
    return this.table;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const [, t, d] = x.shape;
    checkLength(this.name, t, this.maxLength);
    const table = this.tableFor(d);
    return tf.tidy(() => x.add(table.slice([0, 0], [t, d])));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { maxLength: this.maxLength, ...super.getConfig() };
  }
}

/** x [b, T, d] + learned position embeddings (a [maxLength, d] weight). */
export class PositionEmbedding extends tf.layers.Layer {
  static className = 'PositionEmbedding';
  readonly maxLength: number;
  positions!: tf.LayerVariable;

  constructor(args: PositionalArgs) {
    super({ name: args.name, trainable: args.trainable });
    this.maxLength = args.maxLength;
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const add = (this as unknown as { addWeight: AddWeight }).addWeight.bind(this);
    this.positions = add('positions', [this.maxLength, s[s.length - 1] as number], 'float32', tf.initializers.randomNormal({ stddev: 0.02 }));
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const [, t, d] = x.shape;
    checkLength(this.name, t, this.maxLength);
    return tf.tidy(() => x.add(this.positions.read().slice([0, 0], [t, d])));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { maxLength: this.maxLength, ...super.getConfig() };
  }
}

/** Options of {@link TokenAndPositionEmbedding}. */
export interface TokenAndPositionArgs extends PositionalArgs {
  vocabSize: number;
  /** Embedding width d. */
  dim: number;
  /** 'learned' (default) or 'sinusoidal' positions. */
  positional?: 'learned' | 'sinusoidal';
  /** Multiply token embeddings by sqrt(d) before adding positions (as the original transformer). Default false. */
  scale?: boolean;
}

/** Token ids [b, T] (float32 or int32) -> token embedding (· sqrt(d) if `scale`) + position embedding [b, T, d]. */
export class TokenAndPositionEmbedding extends tf.layers.Layer {
  static className = 'TokenAndPositionEmbedding';
  readonly args: Required<Omit<TokenAndPositionArgs, 'name' | 'trainable'>>;
  tokens!: tf.LayerVariable;
  positions: tf.LayerVariable | null = null;
  private sinusoid: tf.Tensor | null = null;

  constructor(args: TokenAndPositionArgs) {
    super({ name: args.name, trainable: args.trainable });
    this.args = { vocabSize: args.vocabSize, dim: args.dim, maxLength: args.maxLength, positional: args.positional ?? 'learned', scale: args.scale ?? false };
  }

  override build(): void {
    const add = (this as unknown as { addWeight: AddWeight }).addWeight.bind(this);
    const { vocabSize, dim, maxLength } = this.args;
    this.tokens = add('tokens', [vocabSize, dim], 'float32', tf.initializers.randomNormal({ stddev: 0.02 }));
    if (this.args.positional === 'learned') {
      this.positions = add('positions', [maxLength, dim], 'float32', tf.initializers.randomNormal({ stddev: 0.02 }));
    }
    this.built = true;
  }

  /** The [maxLength, d] position table: the learned weight or the sinusoidal constant. */
  positionTable(): tf.Tensor | tf.LayerVariable {
    if (this.positions) return this.positions;
    this.sinusoid ??= tf.keep(tf.tensor2d(sinusoidalTable(this.args.maxLength, this.args.dim), [this.args.maxLength, this.args.dim]));
    return this.sinusoid;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...s, this.args.dim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const ids = Array.isArray(inputs) ? inputs[0] : inputs;
    const [, t] = ids.shape;
    checkLength(this.name, t, this.args.maxLength);
    return tf.tidy(() => {
      // One-hot × table: the same values as a gather, and a gradient (MatMul) that every backend
      // has (wasm lacks UnsortedSegmentSum, the gather gradient). Vocabularies here are small.
      const [b, t2] = ids.shape;
      const onehot = tf.oneHot(ids.toInt().reshape([-1]), this.args.vocabSize).toFloat();
      let x = tf.matMul(onehot, this.tokens.read()).reshape([b, t2, this.args.dim]);
      if (this.args.scale) x = x.mul(Math.sqrt(this.args.dim));
      const table = this.positionTable();
      const rows = (table instanceof tf.Tensor ? table : table.read()).slice([0, 0], [t, this.args.dim]);
      return x.add(rows);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.args, ...super.getConfig() };
  }
}

for (const cls of [SinusoidalPositionEncoding, PositionEmbedding, TokenAndPositionEmbedding]) tf.serialization.registerClass(cls);
