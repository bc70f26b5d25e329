/**
 * Greedy and beam-search decoding over any decoder step (tfjs or onnxruntime), so both give
 * the same tokens for the same step outputs. No tfjs here: `@neurozoo/rnn/runtime` uses it.
 */
import { BOS, EOS } from './vocab.js';

/** What one decoder step returns for `rows` rows (row-major flat arrays). */
export interface StepOutput {
  /** [rows, targetVocab] unnormalised scores. */
  logits: Float32Array;
  /** [rows, H] new hidden and cell states. */
  h: Float32Array;
  c: Float32Array;
  /** [rows, sourceLength] attention weights of this step. */
  attention: Float32Array;
}

/**
 * One decoder step: previous tokens, states, and for each row the index of the source
 * sequence (in the encoded batch) whose encoder states it attends to.
 */
export type StepFn = (tokens: Int32Array, h: Float32Array, c: Float32Array, source: Int32Array) => Promise<StepOutput>;

/** One decoded sequence. */
export interface Decoded {
  /** Target ids without BOS and EOS. */
  ids: number[];
  /** Sum of the log-probabilities of the chosen tokens (EOS included when emitted). */
  logProb: number;
  /** Attention weights of every output step (EOS included), each of the source's length. */
  attention: Float32Array[];
}

function logSoftmaxRow(logits: Float32Array, row: number, size: number): Float64Array {
  const out = new Float64Array(size);
  let max = -Infinity;
  for (let k = 0; k < size; k++) max = Math.max(max, logits[row * size + k]);
  let sum = 0;
  for (let k = 0; k < size; k++) sum += Math.exp(logits[row * size + k] - max);
  const lse = max + Math.log(sum);
  for (let k = 0; k < size; k++) out[k] = logits[row * size + k] - lse;
  return out;
}

const rowOf = (a: Float32Array, row: number, width: number) => a.slice(row * width, (row + 1) * width);

/**
 * Greedy decoding of `rows` sources at once (initial states [rows, H] from the encoder):
 * the most likely token each step, until EOS or `maxLength` tokens.
 */
export async function greedyDecode(step: StepFn, h0: Float32Array, c0: Float32Array, rows: number, maxLength: number): Promise<Decoded[]> {
  const H = h0.length / rows;
  const results: Decoded[] = Array.from({ length: rows }, () => ({ ids: [], logProb: 0, attention: [] }));
  let alive = Array.from({ length: rows }, (_, i) => i);
  let tokens = new Int32Array(rows).fill(BOS);
  let h = h0;
  let c = c0;
  for (let t = 0; t <= maxLength && alive.length > 0; t++) {
    const out = await step(tokens, h, c, Int32Array.from(alive));
    const V = out.logits.length / alive.length;
    const S = out.attention.length / alive.length;
    const keep: number[] = [];
    const next: number[] = [];
    alive.forEach((src, r) => {
      const lp = logSoftmaxRow(out.logits, r, V);
      let best = EOS; // padding and BOS are never emitted
      for (let k = 3; k < V; k++) if (lp[k] > lp[best]) best = k;
      const res = results[src];
      res.logProb += lp[best];
      res.attention.push(rowOf(out.attention, r, S));
      if (best === EOS || t === maxLength) return;
      res.ids.push(best);
      keep.push(r);
      next.push(best);
    });
    alive = keep.map((r) => alive[r]);
    tokens = Int32Array.from(next);
    h = stackRows(out.h, keep, H);
    c = stackRows(out.c, keep, H);
  }
  return results;
}

function stackRows(a: Float32Array, rows: readonly number[], width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(a.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

interface Beam {
  ids: number[];
  logProb: number;
  attention: Float32Array[];
  row: number;
}

/**
 * Beam search for one source (index 0 of the encoded batch; states [1, H]): keeps the `width`
 * best partial sequences by total log-probability; a sequence ends with EOS. Returns the
 * finished sequences, best first (ties keep the earlier beam); with width 1 it equals greedy.
 */
export async function beamDecode(step: StepFn, h0: Float32Array, c0: Float32Array, width: number, maxLength: number): Promise<Decoded[]> {
  const H = h0.length;
  let beams: Beam[] = [{ ids: [], logProb: 0, attention: [], row: 0 }];
  let h = h0;
  let c = c0;
  const finished: Decoded[] = [];
  for (let t = 0; t <= maxLength && beams.length > 0; t++) {
    const tokens = Int32Array.from(beams, (b) => (b.ids.length === 0 ? BOS : b.ids[b.ids.length - 1]));
    const out = await step(tokens, h, c, new Int32Array(beams.length));
    const V = out.logits.length / beams.length;
    const S = out.attention.length / beams.length;
    const candidates: { beam: number; token: number; logProb: number }[] = [];
    beams.forEach((b, r) => {
      const lp = logSoftmaxRow(out.logits, r, V);
      candidates.push({ beam: r, token: EOS, logProb: b.logProb + lp[EOS] });
      for (let k = 3; k < V; k++) candidates.push({ beam: r, token: k, logProb: b.logProb + lp[k] });
    });
    candidates.sort((a, b) => b.logProb - a.logProb || a.beam - b.beam || a.token - b.token);
    const next: Beam[] = [];
    for (const cand of candidates) {
      if (next.length >= width || finished.length >= width) break;
      const b = beams[cand.beam];
      const attention = [...b.attention, rowOf(out.attention, cand.beam, S)];
      if (cand.token === EOS || t === maxLength) {
        finished.push({ ids: cand.token === EOS ? b.ids : [...b.ids, cand.token], logProb: cand.logProb, attention });
      } else {
        next.push({ ids: [...b.ids, cand.token], logProb: cand.logProb, attention, row: cand.beam });
      }
    }
    // Log-probabilities only fall as sequences grow: stop once no live beam can win.
    const bestFinished = Math.max(...finished.map((f) => f.logProb));
    if (next.length === 0 || (next[0].logProb < bestFinished && finished.length > 0)) break;
    beams = next;
    h = stackRows(out.h, next.map((b) => b.row), H);
    c = stackRows(out.c, next.map((b) => b.row), H);
  }
  return finished.sort((a, b) => b.logProb - a.logProb);
}
