/**
 * The attention encoder-decoder of the seed article: a bidirectional LSTM encoder; an LSTM
 * decoder whose every step scores each encoder state against the previous decoder state by
 * dot product, normalises the scores with softmax, takes the weighted sum of encoder states
 * (the context) and feeds concat(previous decoder state, context, previous token's
 * embedding) into the LSTM cell. Logits come from concat(new state, context).
 *
 * The encoder is a tfjs LayersModel (exported with the native ONNX LSTM converter); the
 * decoder step is written with tf ops on plain variables, mirrored op for op by
 * `decoder-step.onnx` (./export.ts).
 */
import { OptionError, Rng, tf, withSeedSync } from '@neurozoo/core';
import { type Seq2SeqVocab, sourceSize, targetSize } from '@neurozoo/core/runtime';
import { type Decoded, greedyDecode, type StepFn } from '../runtime/search.js';

/** Sizes of a {@link Seq2Seq} model. */
export interface Seq2SeqConfig {
  /** Units per encoder direction; the decoder state has twice as many (default 64). */
  encoderUnits?: number;
  /** Source embedding width (default 32). */
  sourceEmbedding?: number;
  /** Target (previous token) embedding width (default 32). */
  targetEmbedding?: number;
  /** Seed of the initial weights (default 0). */
  seed?: number;
}

/** The decoder's variables, by name (the names are also the keys of the saved weights). */
export const DECODER_WEIGHTS = ['embedding', 'kernel', 'recurrentKernel', 'bias', 'outputKernel', 'outputBias'] as const;
/** One of {@link DECODER_WEIGHTS}. */
export type DecoderWeightName = (typeof DECODER_WEIGHTS)[number];

/** Tensors of one decoder step. */
export interface StepTensors {
  logits: tf.Tensor2D;
  h: tf.Tensor2D;
  c: tf.Tensor2D;
  attention: tf.Tensor2D;
}

/** Builds the encoder: tokens [batch, steps] -> [states [batch, steps, 2E], h0 [batch, 2E], c0 [batch, 2E]]. */
function buildEncoder(vocab: Seq2SeqVocab, units: number, embedding: number): tf.LayersModel {
  const tokens = tf.input({ shape: [null], name: 'source' });
  const e = tf.layers.embedding({ inputDim: sourceSize(vocab), outputDim: embedding, name: 'source_embedding' }).apply(tokens);
  const lstm = tf.layers.lstm({ units, returnSequences: true, returnState: true, recurrentActivation: 'sigmoid' });
  const [states, fh, fc, bh, bc] = tf.layers.bidirectional({ layer: lstm as never, name: 'encoder' }).apply(e) as tf.SymbolicTensor[];
  const h0 = tf.layers.concatenate({ name: 'h0' }).apply([fh, bh]) as tf.SymbolicTensor;
  const c0 = tf.layers.concatenate({ name: 'c0' }).apply([fc, bc]) as tf.SymbolicTensor;
  return tf.model({ inputs: tokens, outputs: [states, h0, c0], name: 'encoder' });
}

/** The attention encoder-decoder; see the module comment. */
export class Seq2Seq {
  private constructor(
    readonly vocab: Seq2SeqVocab,
    readonly encoder: tf.LayersModel,
    readonly decoder: Record<DecoderWeightName, tf.Variable>,
  ) {}

  /** A new model with seeded random weights (forget-gate bias 1). */
  static create(vocab: Seq2SeqVocab, config: Seq2SeqConfig = {}): Seq2Seq {
    const { encoderUnits = 64, sourceEmbedding = 32, targetEmbedding = 32, seed = 0 } = config;
    if (!(Number.isInteger(encoderUnits) && encoderUnits > 0)) throw new OptionError(`encoderUnits must be a positive integer, got ${encoderUnits}`);
    const H = 2 * encoderUnits;
    const V = targetSize(vocab);
    const rng = new Rng(seed + 1);
    const uniform = (shape: number[], scale: number) => {
      const size = shape.reduce((a, b) => a * b, 1);
      return tf.tensor(Array.from({ length: size }, () => (2 * rng.next() - 1) * scale), shape);
    };
    const glorot = (rows: number, cols: number) => uniform([rows, cols], Math.sqrt(6 / (rows + cols)));
    const bias = new Float32Array(4 * H);
    bias.fill(1, H, 2 * H); // gate order i, f, g, o: forget bias 1
    const inputSize = H + H + targetEmbedding;
    const init: Record<DecoderWeightName, tf.Tensor> = {
      embedding: uniform([V, targetEmbedding], 0.1),
      kernel: glorot(inputSize, 4 * H),
      recurrentKernel: glorot(H, 4 * H),
      bias: tf.tensor1d(bias),
      outputKernel: glorot(2 * H, V),
      outputBias: tf.zeros([V]),
    };
    const encoder = withSeedSync(seed, () => buildEncoder(vocab, encoderUnits, sourceEmbedding));
    return Seq2Seq.fromWeights(vocab, encoder, init);
  }

  /** A model from an encoder and decoder weight tensors (which it takes over). */
  static fromWeights(vocab: Seq2SeqVocab, encoder: tf.LayersModel, weights: Record<DecoderWeightName, tf.Tensor>): Seq2Seq {
    const vars = Object.fromEntries(DECODER_WEIGHTS.map((k) => [k, tf.variable(weights[k], true)])) as Record<DecoderWeightName, tf.Variable>;
    tf.dispose(Object.values(weights));
    return new Seq2Seq(vocab, encoder, vars);
  }

  /** Decoder state size (twice the encoder units). */
  get hiddenSize(): number {
    return this.decoder.recurrentKernel.shape[0];
  }

  /** Every trainable variable (encoder and decoder). */
  get variables(): tf.Variable[] {
    const enc = this.encoder.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    return [...enc, ...Object.values(this.decoder)];
  }

  /** Encoder states [B, S, 2E] and the decoder's initial h, c [B, 2E] for source ids [B, S]. */
  encode(source: tf.Tensor2D, training = false): [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D] {
    return this.encoder.apply(source, { training }) as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D];
  }

  /** One decoder step (previous tokens [B] int32, states [B, H], encoder states [B, S, H]). */
  step(prev: tf.Tensor1D, h: tf.Tensor2D, c: tf.Tensor2D, enc: tf.Tensor3D): StepTensors {
    const d = this.decoder;
    const H = this.hiddenSize;
    const scores = tf.squeeze(tf.matMul(enc, tf.expandDims(h, 2)), [2]) as tf.Tensor2D; // dot products [B, S]
    const attention = tf.softmax(scores) as tf.Tensor2D;
    const context = tf.squeeze(tf.matMul(tf.expandDims(attention, 1), enc), [1]) as tf.Tensor2D; // [B, H]
    const x = tf.concat([h, context, tf.gather(d.embedding, prev)], 1);
    const z = tf.add(tf.add(tf.matMul(x, d.kernel), tf.matMul(h, d.recurrentKernel)), d.bias);
    const [i, f, g, o] = tf.split(z, [H, H, H, H], 1);
    const c2 = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D;
    const h2 = tf.mul(tf.sigmoid(o), tf.tanh(c2)) as tf.Tensor2D;
    const logits = tf.add(tf.matMul(tf.concat([h2, context], 1), d.outputKernel), d.outputBias) as tf.Tensor2D;
    return { logits, h: h2, c: c2, attention };
  }

  /**
   * Teacher-forced mean cross-entropy of a batch: source ids [B, S] (one length), decoder inputs
   * [B, T] (BOS then the target), targets [B, T] (the target then EOS) and a 0/1 mask [B, T].
   */
  loss(source: tf.Tensor2D, decoderInput: tf.Tensor2D, target: tf.Tensor2D, mask: tf.Tensor2D, training = true): tf.Scalar {
    const [enc, h0, c0] = this.encode(source, training);
    let h = h0;
    let c = c0;
    const logits: tf.Tensor2D[] = [];
    for (const prev of tf.unstack(decoderInput, 1) as tf.Tensor1D[]) {
      const out = this.step(prev, h, c, enc);
      logits.push(out.logits);
      h = out.h;
      c = out.c;
    }
    const lp = tf.logSoftmax(tf.stack(logits, 1));
    const picked = tf.sum(tf.mul(lp, tf.oneHot(target, targetSize(this.vocab))), 2);
    return tf.neg(tf.div(tf.sum(tf.mul(picked, mask)), tf.sum(mask))) as tf.Scalar;
  }

  /** A {@link StepFn} over encoder states `enc` (rows pick their source by index). */
  stepFn(enc: tf.Tensor3D): StepFn {
    const H = this.hiddenSize;
    return async (tokens, h, c, source) => {
      const out = tf.tidy(() => {
        const rows = tokens.length;
        const s = this.step(tf.tensor1d(tokens, 'int32'), tf.tensor2d(h, [rows, H]), tf.tensor2d(c, [rows, H]), tf.gather(enc, tf.tensor1d(source, 'int32')));
        return [s.logits, s.h, s.c, s.attention];
      });
      const [logits, h2, c2, attention] = out.map((t) => t.dataSync() as Float32Array);
      tf.dispose(out);
      return { logits, h: h2, c: c2, attention };
    };
  }

  /** Runs `fn` with the encoding of same-length source rows (ids [rows * S]). */
  async withEncoding<T>(ids: Int32Array, rows: number, fn: (step: StepFn, h0: Float32Array, c0: Float32Array) => Promise<T>): Promise<T> {
    const [enc, h0, c0] = tf.tidy(() => this.encode(tf.tensor2d(Float32Array.from(ids), [rows, ids.length / rows])));
    try {
      return await fn(this.stepFn(enc), h0.dataSync() as Float32Array, c0.dataSync() as Float32Array);
    } finally {
      tf.dispose([enc, h0, c0]);
    }
  }

  /** Greedy decoding of source id sequences, batched by length; results in input order. */
  async greedy(sources: readonly Int32Array[], batch = 256): Promise<Decoded[]> {
    const results: Decoded[] = new Array(sources.length);
    const byLength = new Map<number, number[]>();
    sources.forEach((s, i) => byLength.set(s.length, [...(byLength.get(s.length) ?? []), i]));
    for (const [len, idx] of byLength) {
      for (let from = 0; from < idx.length; from += batch) {
        const part = idx.slice(from, from + batch);
        const ids = new Int32Array(part.length * len);
        part.forEach((k, r) => ids.set(sources[k], r * len));
        const decoded = await this.withEncoding(ids, part.length, (step, h0, c0) => greedyDecode(step, h0, c0, part.length, this.vocab.maxTargetLength));
        part.forEach((k, r) => (results[k] = decoded[r]));
      }
    }
    return results;
  }

  /** Frees the encoder and decoder variables. */
  dispose(): void {
    this.encoder.dispose();
    tf.dispose(Object.values(this.decoder));
  }
}
