/**
 * Greedy and beam-search decoding over any decoder step (tfjs or onnxruntime), so both give the
 * same tokens for the same logits. No tfjs, no onnxruntime. The step owns its state (a KV cache,
 * or the prefixes for recomputation); the search only says which earlier row each row continues.
 */
import { BOS, EOS } from './g2p-vocab.js';

/**
 * One decoder step for `tokens.length` rows: row r feeds `tokens[r]` after the tokens of row
 * `parents[r]` of the previous step (at the first step, `parents[r]` is the index of the source
 * row it decodes). Returns the logits [rows, targetVocab] of the new position.
 */
export type DecoderStep = (tokens: Int32Array, parents: Int32Array) => Promise<Float32Array>;

/** One decoded sequence. */
export interface Decoded {
  /** Target ids without BOS and EOS. */
  ids: number[];
  /** Sum of the log-probabilities of the chosen tokens (EOS included when emitted). */
  logProb: number;
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

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/**
 * Greedy decoding of `rows` sources at once: the most likely token each step (padding and BOS
 * are never emitted), until EOS or `maxLength` tokens.
 */
export async function greedySearch(step: DecoderStep, rows: number, maxLength: number): Promise<Decoded[]> {
  const results: Decoded[] = Array.from({ length: rows }, () => ({ ids: [], logProb: 0 }));
  let alive = Array.from(range(rows));
  let tokens = new Int32Array(rows).fill(BOS);
  let parents = range(rows);
  for (let t = 0; t <= maxLength && alive.length > 0; t++) {
    const logits = await step(tokens, parents);
    const V = logits.length / alive.length;
    const keep: number[] = [];
    const next: number[] = [];
    alive.forEach((index, r) => {
      const lp = logSoftmaxRow(logits, r, V);
      let best = EOS;
      for (let k = 3; k < V; k++) if (lp[k] > lp[best]) best = k;
      results[index].logProb += lp[best];
      if (best === EOS || t === maxLength) return;
      results[index].ids.push(best);
      keep.push(r);
      next.push(best);
    });
    alive = keep.map((r) => alive[r]);
    tokens = Int32Array.from(next);
    parents = Int32Array.from(keep);
  }
  return results;
}

interface Beam {
  ids: number[];
  logProb: number;
  row: number;
}

/**
 * Beam search for one source (source row 0): keeps the `width` best partial sequences by total
 * log-probability; a sequence ends with EOS. Returns the finished sequences, best first (ties keep
 * the earlier beam, then the smaller id); with width 1 it equals greedy decoding.
 */
export async function beamSearch(step: DecoderStep, width: number, maxLength: number): Promise<Decoded[]> {
  if (!(Number.isInteger(width) && width >= 1)) throw new RangeError(`beam width must be an integer >= 1, got ${width}`);
  let beams: Beam[] = [{ ids: [], logProb: 0, row: 0 }];
  let parents = new Int32Array(1);
  const finished: Decoded[] = [];
  for (let t = 0; t <= maxLength && beams.length > 0; t++) {
    const tokens = Int32Array.from(beams, (b) => (b.ids.length === 0 ? BOS : b.ids[b.ids.length - 1]));
    const logits = await step(tokens, parents);
    const V = logits.length / beams.length;
    const candidates: { beam: number; token: number; logProb: number }[] = [];
    beams.forEach((b, r) => {
      const lp = logSoftmaxRow(logits, r, V);
      candidates.push({ beam: r, token: EOS, logProb: b.logProb + lp[EOS] });
      for (let k = 3; k < V; k++) candidates.push({ beam: r, token: k, logProb: b.logProb + lp[k] });
    });
    candidates.sort((a, b) => b.logProb - a.logProb || a.beam - b.beam || a.token - b.token);
    const next: Beam[] = [];
    for (const cand of candidates) {
      if (next.length >= width || finished.length >= width) break;
      const b = beams[cand.beam];
      if (cand.token === EOS || t === maxLength) {
        finished.push({ ids: cand.token === EOS ? b.ids : [...b.ids, cand.token], logProb: cand.logProb });
      } else {
        next.push({ ids: [...b.ids, cand.token], logProb: cand.logProb, row: cand.beam });
      }
    }
    // Log-probabilities only fall as sequences grow: stop once no live beam can win.
    const bestFinished = Math.max(...finished.map((f) => f.logProb));
    if (next.length === 0 || (finished.length > 0 && next[0].logProb < bestFinished)) break;
    beams = next;
    parents = Int32Array.from(next, (b) => b.row);
  }
  return finished.sort((a, b) => b.logProb - a.logProb);
}
