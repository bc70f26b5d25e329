/**
 * Greedy and beam-search decoding for the recurrent seq2seq: core's search (shared with the
 * transformer) over a step that carries LSTM states. No tfjs here: `@neurozoo/rnn/runtime` uses it.
 */
import { beamSearch, type Decoded, type DecoderStep, gatherRows, greedySearch } from '@neurozoo/core/runtime';

export type { Decoded };

/** What one recurrent decoder step returns for `rows` rows (row-major flat arrays). */
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
 * One recurrent decoder step: previous tokens, states, and for each row the index of the source
 * sequence (in the encoded batch) whose encoder states it attends to.
 */
export type StepFn = (tokens: Int32Array, h: Float32Array, c: Float32Array, source: Int32Array) => Promise<StepOutput>;

/**
 * Core's {@link DecoderStep} over a recurrent step: it keeps every row's states and source and
 * reorders them by the search's `parents` (initial states [rows, H] from the encoder).
 */
export function recurrentStep(step: StepFn, h0: Float32Array, c0: Float32Array, rows: number): DecoderStep {
  const H = h0.length / rows;
  let h = h0;
  let c = c0;
  let source = Int32Array.from({ length: rows }, (_, i) => i);
  return async (tokens, parents) => {
    source = Int32Array.from(parents, (p) => source[p]);
    const out = await step(tokens, gatherRows(h, H, parents), gatherRows(c, H, parents), source);
    h = out.h;
    c = out.c;
    return out;
  };
}

/** Greedy decoding of `rows` sources at once (initial states [rows, H]); results in source order. */
export function greedyDecode(step: StepFn, h0: Float32Array, c0: Float32Array, rows: number, maxLength: number): Promise<Decoded[]> {
  return greedySearch(recurrentStep(step, h0, c0, rows), rows, maxLength);
}

/** Beam search for one source (states [1, H]); finished sequences, best first. */
export function beamDecode(step: StepFn, h0: Float32Array, c0: Float32Array, width: number, maxLength: number): Promise<Decoded[]> {
  return beamSearch(recurrentStep(step, h0, c0, 1), width, maxLength);
}
