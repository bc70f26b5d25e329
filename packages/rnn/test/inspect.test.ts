import { DataError } from '@neurozoo/core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { attentionHeatmap } from '../src/index.js';

describe('attentionHeatmap', () => {
  it('draws one zoom x zoom cell per (output step, source symbol): black = 1, white = 0, grey cell edges', () => {
    const png = PNG.sync.read(Buffer.from(attentionHeatmap([Float32Array.of(1, 0), Float32Array.of(0.5, 0.5), Float32Array.of(0, 1)], 2)));
    expect([png.width, png.height]).toEqual([4, 6]);
    const grey = (x: number, y: number) => png.data[(y * 4 + x) * 4];
    expect([grey(1, 1), grey(3, 1), grey(1, 3), grey(3, 5)]).toEqual([0, 255, 128, 0]); // cell interiors
    expect([grey(2, 1), grey(0, 0)]).toEqual([200, 0]); // edges: at most 200, darker cells stay dark
    expect(png.data[3]).toBe(255);
  });

  it('rejects attention with no steps or no source symbols', () => {
    expect(() => attentionHeatmap([])).toThrow(DataError);
    expect(() => attentionHeatmap([])).toThrow('attentionHeatmap needs at least one step of weights');
    expect(() => attentionHeatmap([new Float32Array(0)])).toThrow('attentionHeatmap needs at least one step of weights');
  });
});
