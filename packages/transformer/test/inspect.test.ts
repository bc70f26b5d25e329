import { initBackend, OptionError, tf } from '@neurozoo/core';
import { randomizeWeights } from '@neurozoo/core/testing';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attentionMapPng, attentionMaps, buildGpt, heatmapPng } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('attention pictures', () => {
  it('attentionMaps gives causal rows that sum to 1, one [heads, T, T] map per block', () => {
    const model = buildGpt({ vocabSize: 7, contextLength: 8, dim: 8, heads: 2, layers: 2, ffDim: 12 }, 1);
    randomizeWeights(model, 2);
    const maps = attentionMaps(model, [1, 2, 3, 4, 5]);
    expect(maps.map((m) => m.shape)).toEqual([[2, 5, 5], [2, 5, 5]]);
    const rows = maps[1].arraySync() as number[][][];
    for (const head of rows) {
      head.forEach((row, t) => {
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        for (let k = t + 1; k < row.length; k++) expect(row[k]).toBe(0);
      });
    }
    tf.dispose(maps);
    const png = PNG.sync.read(Buffer.from(attentionMapPng(model, [1, 2, 3], 1, 0)));
    expect([png.width, png.height]).toEqual([18, 18]);
    expect(() => attentionMapPng(model, [1, 2, 3], 2, 0)).toThrow(OptionError);
    expect(() => attentionMapPng(model, [1, 2, 3], 2, 0)).toThrow('No layer 2 / head 0: the model has 2 blocks of 2 heads.');
    model.dispose();
  });

  it('heatmapPng draws 0 white and 1 dark, `zoom` pixels a cell', () => {
    const png = PNG.sync.read(Buffer.from(heatmapPng(Float32Array.from([0, 1]), 1, 2, 3)));
    expect([png.width, png.height]).toEqual([6, 3]);
    const pixel = (x: number) => Array.from(png.data.subarray(x * 4, x * 4 + 3));
    expect(pixel(0)).toEqual([255, 255, 255]);
    expect(pixel(5).every((c) => c < 255)).toBe(true);
  });
});
