/**
 * Greedy and beam-search decoding over any decoder step (tfjs or onnxruntime), so both give the
 * same tokens for the same logits. No tfjs, no onnxruntime. The step owns its state (recurrent
 * states, a key/value cache, or prefixes to recompute); the search only says which earlier row
 * each new row continues. Shared by the rnn and transformer encoder-decoders.
 */

/**
 * Special target ids: every sequence starts with `bos` and ends with `eos`; ids below
 * `firstOutput` other than `eos` (padding, BOS) are never emitted.
 */
export interface SearchTokens {
  bos: number;
  eos: number;
  firstOutput: number;
}

/** 0 = padding, 1 = BOS, 2 = EOS, outputs from 3: the convention of both neurozoo vocabularies. */
export const DEFAULT_SEARCH_TOKENS: SearchTokens = { bos: 1, eos: 2, firstOutput: 3 };

/** What one decoder step returns for its rows. */
export interface StepResult {
  /** [rows, vocab] unnormalised scores of the next token. */
  logits: Float32Array;
  /** [rows, width] values kept with every output step of a row, e.g. its attention weights. */
  attention?: Float32Array;
}

/**
 * One decoder step over `tokens.length` rows: row r feeds `tokens[r]` after the tokens of row
 * `parents[r]` of the previous step (at the first step, `parents[r]` is the index of the source
 * row it decodes).
 */
export type DecoderStep = (tokens: Int32Array, parents: Int32Array) => Promise<StepResult>;

/** One decoded sequence. */
export interface Decoded {
  /** Target ids without BOS and EOS. */
  ids: number[];
  /** Sum of the log-probabilities of the chosen tokens (EOS included when emitted). */
  logProb: number;
  /** The step's `attention` row of every output step (EOS included); empty when it gives none. */
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

/** Row `row` of a step's attention, or nothing when the step gives none. */
function attentionRow(out: StepResult, row: number, rows: number): Float32Array[] {
  if (!out.attention) return [];
  const width = out.attention.length / rows;
  return [out.attention.slice(row * width, (row + 1) * width)];
}

/**
 * Greedy decoding of `rows` sources at once: the most likely token each step, until EOS or
 * `maxLength` tokens. Results in source order.
 */
export async function greedySearch(step: DecoderStep, rows: number, maxLength: number, special: SearchTokens = DEFAULT_SEARCH_TOKENS): Promise<Decoded[]> {
  const { bos, eos, firstOutput } = special;
  const results: Decoded[] = Array.from({ length: rows }, () => ({ ids: [], logProb: 0, attention: [] }));
  let alive = Array.from({ length: rows }, (_, i) => i);
  let tokens = new Int32Array(rows).fill(bos);
  let parents = Int32Array.from(alive);
  for (let t = 0; t <= maxLength && alive.length > 0; t++) {
    const out = await step(tokens, parents);
    const V = out.logits.length / alive.length;
    const keep: number[] = [];
    const next: number[] = [];
    alive.forEach((index, r) => {
      const lp = logSoftmaxRow(out.logits, r, V);
      let best = eos;
      for (let k = firstOutput; k < V; k++) if (lp[k] > lp[best]) best = k;
      const result = results[index];
      result.logProb += lp[best];
      result.attention.push(...attentionRow(out, r, alive.length));
      if (best === eos || t === maxLength) return;
      result.ids.push(best);
      keep.push(r);
      next.push(best);
    });
    alive = keep.map((r) => alive[r]);
    tokens = Int32Array.from(next);
    parents = Int32Array.from(keep);
  }
  return results;
}

interface Beam extends Decoded {
  /** Row of this beam in the last step. */
  row: number;
}

/**
 * Beam search for one source (source row 0): keeps the `width` best partial sequences by total
 * log-probability; a sequence ends with EOS. Returns the finished sequences, best first (ties
 * keep the earlier beam, then the smaller id); with width 1 it equals greedy decoding.
 */
export async function beamSearch(step: DecoderStep, width: number, maxLength: number, special: SearchTokens = DEFAULT_SEARCH_TOKENS): Promise<Decoded[]> {
  if (!(Number.isInteger(width) && width >= 1)) throw new RangeError(`beam width must be an integer >= 1, got ${width}`);
  const { bos, eos, firstOutput } = special;
  let beams: Beam[] = [{ ids: [], logProb: 0, attention: [], row: 0 }];
  let parents = new Int32Array(1);
  const finished: Decoded[] = [];
  for (let t = 0; t <= maxLength && beams.length > 0; t++) {
    const tokens = Int32Array.from(beams, (b) => (b.ids.length === 0 ? bos : b.ids[b.ids.length - 1]));
    const out = await step(tokens, parents);
    const V = out.logits.length / beams.length;
    const candidates: { beam: number; token: number; logProb: number }[] = [];
    beams.forEach((b, r) => {
      const lp = logSoftmaxRow(out.logits, r, V);
      candidates.push({ beam: r, token: eos, logProb: b.logProb + lp[eos] });
      for (let k = firstOutput; k < V; k++) candidates.push({ beam: r, token: k, logProb: b.logProb + lp[k] });
    });
    candidates.sort((a, b) => b.logProb - a.logProb || a.beam - b.beam || a.token - b.token);
    const next: Beam[] = [];
    for (const cand of candidates) {
      if (next.length >= width || finished.length >= width) break;
      const b = beams[cand.beam];
      const attention = [...b.attention, ...attentionRow(out, cand.beam, beams.length)];
      // The step at t = maxLength only scores ending there, as greedy's does: no token past the cap.
      if (cand.token === eos || t === maxLength) {
        finished.push({ ids: b.ids, logProb: cand.logProb, attention });
      } else {
        next.push({ ids: [...b.ids, cand.token], logProb: cand.logProb, attention, row: cand.beam });
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
