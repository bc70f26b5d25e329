/**
 * Batching for variable-length sequence training, shared by the recurrent and transformer
 * families: length buckets (no padding inside a batch's source) and teacher-forcing arrays.
 */
import { permutation, type Rng } from '../random.js';

/**
 * Indices of items grouped into batches of equal length: items of each length (in their
 * order) are shuffled and cut into batches of at most `batchSize`, shortest lengths first,
 * then the batches are shuffled. Same `rng` state, same batches.
 *
 * @example
 * const batches = lengthBatches(sentences.map((s) => s.length), 32, new Rng(0));
 */
export function lengthBatches(lengths: readonly number[], batchSize: number, rng: Rng): number[][] {
  const byLength = new Map<number, number[]>();
  lengths.forEach((len, i) => {
    const group = byLength.get(len);
    if (group) group.push(i);
    else byLength.set(len, [i]);
  });
  const batches: number[][] = [];
  for (const len of [...byLength.keys()].sort((a, b) => a - b)) {
    const group = byLength.get(len) as number[];
    const order = permutation(group.length, rng);
    for (let i = 0; i < group.length; i += batchSize) batches.push(Array.from(order.subarray(i, i + batchSize), (k) => group[k]));
  }
  const order = permutation(batches.length, rng);
  return Array.from(order, (k) => batches[k]);
}

/**
 * {@link lengthBatches} of encoder-decoder examples by source length: each batch's sources are
 * equally long, so they stack without padding. Same `rng` state, same batches.
 */
export function sourceLengthBatches<T extends { source: ArrayLike<number> }>(examples: readonly T[], batchSize: number, rng: Rng): T[][] {
  return lengthBatches(examples.map((e) => e.source.length), batchSize, rng).map((batch) => batch.map((k) => examples[k]));
}

/** One source/target pair of token ids (the target without start and end tokens). */
export interface SequencePair {
  source: ArrayLike<number>;
  target: readonly number[];
}

/** Row-major arrays of one teacher-forcing batch (see {@link teacherForcing}). */
export interface TeacherForcingBatch {
  /** Source ids [B, S], padded with `pad` to the longest source. */
  source: Float32Array;
  /** Decoder input [B, T]: start token, then the target; padded. */
  input: Int32Array;
  /** Decoder target [B, T]: the target, then the end token; padded. */
  target: Int32Array;
  /** 1 where `target` holds a real token, 0 on padding [B, T]. */
  mask: Float32Array;
  B: number;
  S: number;
  T: number;
}

/**
 * Teacher-forcing arrays of a batch: the decoder reads [start, t1 .. tn] and predicts
 * [t1 .. tn, end]; T is the longest target + 1.
 */
export function teacherForcing(batch: readonly SequencePair[], tokens: { start: number; end: number; pad: number }): TeacherForcingBatch {
  const B = batch.length;
  const S = batch.reduce((a, e) => Math.max(a, e.source.length), 0);
  const T = batch.reduce((a, e) => Math.max(a, e.target.length), 0) + 1;
  const source = new Float32Array(B * S).fill(tokens.pad);
  const input = new Int32Array(B * T).fill(tokens.pad);
  const target = new Int32Array(B * T).fill(tokens.pad);
  const mask = new Float32Array(B * T);
  batch.forEach((e, b) => {
    source.set(e.source, b * S);
    const seq = [tokens.start, ...e.target, tokens.end];
    for (let t = 0; t < seq.length - 1; t++) {
      input[b * T + t] = seq[t];
      target[b * T + t] = seq[t + 1];
      mask[b * T + t] = 1;
    }
  });
  return { source, input, target, mask, B, S, T };
}
