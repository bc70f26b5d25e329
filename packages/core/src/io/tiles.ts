/**
 * A grid of grayscale tiles as raw RGBA pixels: the picture behind every family's `inspect`
 * (CNN kernels and feature maps, RBM filters and Gibbs samples). Core writes no PNG itself;
 * a family encodes the pixels (pngjs: `png.data = Buffer.from(image.data)`).
 */
import { OptionError, ShapeError } from '../errors.js';

/** An RGBA picture, `width * height * 4` bytes row by row (the layout of pngjs's `PNG.data`). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Options of {@link tileGrid}. */
export interface TileGridOptions {
  /** Pixels per value, across and down (default 2). */
  zoom?: number;
  /** Tiles per row (default: the square root of the count, rounded up). */
  columns?: number;
  /** Values mapped to black and white; default: each tile's own min..max. Values outside clip. */
  range?: [number, number];
  /** Pixels between tiles and around the grid (default 1). */
  gap?: number;
  /** RGB of the gaps (default [96, 96, 96], mid gray). */
  background?: [number, number, number];
}

/**
 * Lays out `tiles` (each `h * w` values, row-major) left to right, top to bottom, each scaled to
 * 0..255 over its own range (or `options.range`) and magnified `zoom` times.
 * @throws ShapeError when a tile does not hold `h * w` values.
 * @throws OptionError when `zoom` or `columns` is not a positive integer.
 */
export function tileGrid(tiles: readonly ArrayLike<number>[], h: number, w: number, options: TileGridOptions = {}): RgbaImage {
  const { zoom = 2, columns = Math.max(1, Math.ceil(Math.sqrt(tiles.length))), gap = 1, background = [96, 96, 96] } = options;
  for (const [name, value] of [['zoom', zoom], ['columns', columns]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new OptionError(`tileGrid: ${name} must be a positive integer, got ${value}`);
  }
  tiles.forEach((t, k) => {
    if (t.length !== h * w) throw new ShapeError(`tileGrid: tile ${k} must hold ${h}x${w} = ${h * w} values, got ${t.length}`);
  });
  const rows = Math.ceil(tiles.length / columns);
  const width = columns * (w * zoom + gap) + gap;
  const height = rows * (h * zoom + gap) + gap;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...background, 255], i * 4);
  tiles.forEach((t, k) => {
    let [lo, hi] = options.range ?? [Infinity, -Infinity];
    if (!options.range) for (let i = 0; i < t.length; i++) [lo, hi] = [Math.min(lo, t[i]), Math.max(hi, t[i])];
    const span = hi - lo || 1;
    const x0 = gap + (k % columns) * (w * zoom + gap);
    const y0 = gap + Math.floor(k / columns) * (h * zoom + gap);
    for (let y = 0; y < h * zoom; y++) {
      for (let x = 0; x < w * zoom; x++) {
        const v = Math.max(0, Math.min(255, Math.round((255 * (t[Math.floor(y / zoom) * w + Math.floor(x / zoom)] - lo)) / span)));
        data.set([v, v, v, 255], ((y0 + y) * width + x0 + x) * 4);
      }
    }
  });
  return { width, height, data };
}
