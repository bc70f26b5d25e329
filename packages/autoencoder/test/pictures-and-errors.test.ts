/** Per-sample squared errors and the inspect pictures, on hand-made values (pixel by pixel). */
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { codeScatter, reconstructionGrid, sumSquaredErrors } from '../src/index.js';

const pixel = (png: PNG, x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4));

describe('sumSquaredErrors', () => {
  it('sums (x - y)^2 over each sample of `size` values; unequal lengths are a ShapeError', () => {
    const x = Float32Array.from([1, 2, 3, 0, 0, 0]);
    const y = Float32Array.from([1, 0, 3, 1, 1, 1]);
    expect(Array.from(sumSquaredErrors(x, y, 3))).toEqual([4, 3]);
    expect(() => sumSquaredErrors(x, y.subarray(1), 3)).toThrow('Expected arrays of equal length, got 6 and 5');
  });
});

describe('inspect pictures', () => {
  it('reconstructionGrid puts each original above its reconstruction, clipped to [0, 1], on white with 2-pixel gaps', () => {
    // two 1x2 images, 2 columns: originals in the first row of pairs, reconstructions below
    const png = PNG.sync.read(reconstructionGrid(Float32Array.from([0, 1, 0.5, 2]), Float32Array.from([1, 0, -1, 0.2]), 1, 2, 2));
    expect([png.width, png.height]).toEqual([2 * (2 + 2) + 2, 2 * (1 + 2) + 2]);
    expect(pixel(png, 0, 0)).toEqual([255, 255, 255, 255]); // gap
    expect([pixel(png, 2, 2), pixel(png, 3, 2), pixel(png, 6, 2), pixel(png, 7, 2)].map((p) => p[0])).toEqual([0, 255, 128, 255]);
    expect([pixel(png, 2, 5), pixel(png, 3, 5), pixel(png, 6, 5), pixel(png, 7, 5)].map((p) => p[0])).toEqual([255, 0, 0, 51]);
  });

  it('codeScatter draws a square picture with a dot per code, coloured by label', () => {
    const png = PNG.sync.read(codeScatter(Float32Array.from([0, 0, 1, 1]), [0, 3], 64));
    expect([png.width, png.height]).toEqual([64, 64]);
    const colours = new Set<string>();
    for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) colours.add(pixel(png, x, y).slice(0, 3).join());
    expect(colours).toContain('31,119,180'); // label 0
    expect(colours).toContain('214,39,40'); // label 3
    expect(colours).not.toContain('255,127,14'); // label 1: no point has it
  });
});
