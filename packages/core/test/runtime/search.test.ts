import { describe, expect, it } from 'vitest';
import { beamSearch, type DecoderStep, greedySearch } from '../../src/runtime/search.js';

// Vocabulary: 0 pad, 1 BOS, 2 EOS, 3 = 'a', 4 = 'b'. Probabilities by prefix (after BOS):
//   []      -> a 0.6, b 0.4          greedy takes 'a'...
//   [a]     -> EOS 0.3, a 0.35, b 0.35, then anything -> EOS 1
//   [b]     -> EOS 0.9, a 0.05, b 0.05   ...but 'b' EOS (0.36) beats every 'a' sequence (<= 0.21)
// Source 1 prefers 'b' from the start. Attention rows are [source, step].
const V = 5;
function probabilities(prefix: readonly number[], source: number): number[] {
  const p = new Array(V).fill(0);
  if (prefix.length === 0) [p[3], p[4]] = source === 0 ? [0.6, 0.4] : [0.1, 0.9];
  else if (prefix.length === 1 && prefix[0] === 3) [p[2], p[3], p[4]] = [0.3, 0.35, 0.35];
  else if (prefix.length === 1) [p[2], p[3], p[4]] = [0.9, 0.05, 0.05];
  else p[2] = 1;
  p[0] = 1e-3; // padding and BOS must never be emitted, even when likely
  p[1] = 0.99;
  return p.map((x) => Math.log(x));
}
/** log P of a sequence of `steps` emitted tokens (EOS included) whose raw probabilities multiply to `product`: every row above sums to 1.991. */
const logP = (product: number, steps: number) => Math.log(product) - steps * Math.log(1.991);

/** A step that keeps each row's prefix and source by the search's `parents`; counts its calls. */
function recordingStep(): { step: DecoderStep; rowsPerCall: number[] } {
  let prefixes: number[][] | null = null;
  let sources = new Int32Array(0);
  const rowsPerCall: number[] = [];
  const step: DecoderStep = async (tokens, parents) => {
    const prev = prefixes;
    sources = prev ? Int32Array.from(parents, (p) => sources[p]) : Int32Array.from(parents);
    prefixes = Array.from(tokens, (t, r) => [...(prev ? prev[parents[r]] : []), t]);
    rowsPerCall.push(tokens.length);
    const logits = new Float32Array(tokens.length * V);
    const attention = new Float32Array(tokens.length * 2);
    prefixes.forEach((p, r) => {
      logits.set(probabilities(p.slice(1), sources[r]), r * V);
      attention.set([sources[r], p.length - 1], r * 2);
    });
    return { logits, attention };
  };
  return { step, rowsPerCall };
}

describe('greedySearch', () => {
  it('takes the most likely output token each step, per source, and keeps each step attention row', async () => {
    const { step, rowsPerCall } = recordingStep();
    const [first, second] = await greedySearch(step, 2, 5);
    expect(first.ids).toEqual([3, 3]);
    expect(first.logProb).toBeCloseTo(logP(0.6 * 0.35 * 1, 3), 6);
    expect(second.ids).toEqual([4]);
    expect(second.logProb).toBeCloseTo(logP(0.9 * 0.9, 2), 6);
    expect(first.attention.map((a) => Array.from(a))).toEqual([[0, 0], [0, 1], [0, 2]]);
    expect(second.attention.map((a) => Array.from(a))).toEqual([[1, 0], [1, 1]]);
    expect(rowsPerCall).toEqual([2, 2, 1]); // a finished row leaves the batch
  });

  it('stops at maxLength tokens', async () => {
    const [d] = await greedySearch(recordingStep().step, 1, 1);
    expect(d.ids).toEqual([3]);
  });
});

describe('maxLength caps greedy and beam alike', () => {
  it.each([1, 2])('width %i: no sequence longer than maxLength, and width 1 equals greedy at the cap', async (width) => {
    for (const maxLength of [0, 1, 2]) {
      const found = await beamSearch(recordingStep().step, width, maxLength);
      expect(found.length).toBeGreaterThan(0);
      for (const f of found) expect(f.ids.length).toBeLessThanOrEqual(maxLength);
      if (width === 1) {
        const [greedy] = await greedySearch(recordingStep().step, 1, maxLength);
        expect(found[0].ids).toEqual(greedy.ids);
        expect(found[0].logProb).toBeCloseTo(greedy.logProb, 6);
      }
    }
  });
});

describe('beamSearch', () => {
  it('finds a sequence greedy misses and returns the finished ones best first', async () => {
    const found = await beamSearch(recordingStep().step, 2, 5);
    expect(found[0].ids).toEqual([4]);
    expect(found[0].logProb).toBeCloseTo(logP(0.4 * 0.9, 2), 6);
    expect(found.map((f) => f.logProb)).toEqual([...found.map((f) => f.logProb)].sort((a, b) => b - a));
    expect(found[0].attention).toHaveLength(2);
  });

  it('with width 1 equals greedy decoding', async () => {
    const [beam] = await beamSearch(recordingStep().step, 1, 5);
    const [greedy] = await greedySearch(recordingStep().step, 1, 5);
    expect(beam.ids).toEqual(greedy.ids);
    expect(beam.logProb).toBeCloseTo(greedy.logProb, 10);
  });

  it('rejects a width that is not a positive integer', async () => {
    await expect(beamSearch(recordingStep().step, 0, 5)).rejects.toThrow('beam width must be an integer >= 1, got 0');
  });
});
