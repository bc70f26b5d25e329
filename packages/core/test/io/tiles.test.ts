/** tileGrid: the layout, scaling, range clipping and checks of the inspect pictures' pixels. */
import { describe, expect, it } from 'vitest';
import { OptionError, type RgbaImage, ShapeError, type TileGridOptions, tileGrid } from '../../src/index.js';

/** The gray value (R) of pixel (x, y). */
const gray = (image: RgbaImage, x: number, y: number) => image.data[(y * image.width + x) * 4];

describe('tileGrid', () => {
  it('lays tiles out in columns with gaps, each scaled over its own range, opaque', () => {
    const image = tileGrid([Float32Array.of(0, 1, 2, 3), Float32Array.of(5, 5, 5, 5), Float32Array.of(-1, 1, 0, 0)], 2, 2, { zoom: 1, columns: 2 });
    expect([image.width, image.height]).toEqual([2 * (2 + 1) + 1, 2 * (2 + 1) + 1]);
    expect([gray(image, 0, 0), gray(image, 3, 0)]).toEqual([96, 96]); // gaps
    expect([gray(image, 1, 1), gray(image, 2, 1), gray(image, 1, 2), gray(image, 2, 2)]).toEqual([0, 85, 170, 255]);
    expect(gray(image, 4, 1)).toBe(0); // a constant tile is black, not NaN
    expect([gray(image, 1, 4), gray(image, 2, 4), gray(image, 1, 5)]).toEqual([0, 255, 128]);
    expect(gray(image, 4, 4)).toBe(96); // the empty fourth cell stays background
    for (let i = 3; i < image.data.length; i += 4) expect(image.data[i]).toBe(255);
  });

  it('zooms each value to a block, clips to a given range and takes the gap and background asked for', () => {
    const options: TileGridOptions = { zoom: 3, range: [0, 1], gap: 2, background: [40, 80, 160] };
    const image = tileGrid([Float32Array.of(-1, 0.5)], 1, 2, options);
    expect([image.width, image.height]).toEqual([2 * 3 + 4, 3 + 4]);
    expect(Array.from(image.data.subarray(0, 4))).toEqual([40, 80, 160, 255]);
    expect([gray(image, 2, 2), gray(image, 4, 4), gray(image, 5, 2), gray(image, 7, 4)]).toEqual([0, 0, 128, 128]);
  });

  it('names the tile of the wrong size and the bad option', () => {
    expect(() => tileGrid([new Float32Array(4), new Float32Array(3)], 2, 2)).toThrow(new ShapeError('tileGrid: tile 1 must hold 2x2 = 4 values, got 3'));
    expect(() => tileGrid([new Float32Array(4)], 2, 2, { zoom: 0 })).toThrow(new OptionError('tileGrid: zoom must be a positive integer, got 0'));
    expect(() => tileGrid([new Float32Array(4)], 2, 2, { columns: 1.5 })).toThrow(OptionError);
  });
});
