/** The recurrent adapters over core's search: states and sources follow each row's parent. */
import { describe, expect, it } from 'vitest';
import { beamDecode, greedyDecode, type StepFn } from '../../src/runtime/index.js';

/**
 * A fake decoder over a 5-token vocabulary (0 pad, 1 BOS, 2 EOS, 3 and 4 outputs): each row's
 * h counts its steps, c holds its source id; the row emits token 3 + source until h reaches
 * 1 + source, then EOS. The calls are recorded so the test can see what rows it was given.
 */
function countingStep(calls: { h: number[]; c: number[]; source: number[] }[]): StepFn {
  return async (tokens, h, c, source) => {
    calls.push({ h: Array.from(h), c: Array.from(c), source: Array.from(source) });
    const rows = tokens.length;
    const logits = new Float32Array(rows * 5).fill(-10);
    for (let r = 0; r < rows; r++) logits[r * 5 + (h[r] >= 1 + source[r] ? 2 : 3 + source[r])] = 10;
    return { logits, h: Float32Array.from(h, (v) => v + 1), c: Float32Array.from(c), attention: Float32Array.from(source, (s) => s) };
  };
}

describe('greedyDecode and beamDecode over a recurrent step', () => {
  it('greedyDecode: each source gets its own length, its states and source follow it as rows finish', async () => {
    const calls: { h: number[]; c: number[]; source: number[] }[] = [];
    const decoded = await greedyDecode(countingStep(calls), Float32Array.of(0, 0), Float32Array.of(10, 11), 2, 8);
    expect(decoded.map((d) => d.ids)).toEqual([[3], [4, 4]]);
    expect(calls).toEqual([
      { h: [0, 0], c: [10, 11], source: [0, 1] },
      { h: [1, 1], c: [10, 11], source: [0, 1] },
      { h: [2], c: [11], source: [1] }, // row 0 finished: only source 1's states go on
    ]);
    expect(decoded[1].attention.map((a) => Array.from(a))).toEqual([[1], [1], [1]]);
  });

  it('beamDecode: one source, beams reorder the states by parent; the best sequence first', async () => {
    const calls: { h: number[]; c: number[]; source: number[] }[] = [];
    const [best] = await beamDecode(countingStep(calls), Float32Array.of(0), Float32Array.of(7), 2, 8);
    expect(best.ids).toEqual([3]);
    expect(calls[0]).toEqual({ h: [0], c: [7], source: [0] });
    for (const call of calls.slice(1)) {
      expect(call.c.every((v) => v === 7)).toBe(true);
      expect(call.source.every((s) => s === 0)).toBe(true);
    }
  });
});
