/**
 * Pictures of a trained autoencoder for `neurozoo inspect`: test images above their
 * reconstructions, and a scatter of the codes coloured by class when the code is 2-D.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InspectRequest } from '@neurozoo/core';
import { PNG } from 'pngjs';
import { Autoencoder } from './autoencoder.js';
import { splitAutoencoder } from './builders/index.js';

/**
 * Grey-scale PNG of `pairs` images (values in [0, 1], `h` x `w` each) laid out `cols` per
 * row, each row of originals followed by the row of their reconstructions.
 */
export function reconstructionGrid(originals: Float32Array, reconstructions: Float32Array, h: number, w: number, cols = 8): Buffer {
  const n = originals.length / (h * w);
  const rowsOfPairs = Math.ceil(n / cols);
  const gap = 2;
  const width = cols * (w + gap) + gap;
  const height = rowsOfPairs * 2 * (h + gap) + gap;
  const png = new PNG({ width, height });
  png.data.fill(255);
  for (let i = 0; i < n; i++) {
    const col = i % cols;
    const pair = Math.floor(i / cols);
    for (const [k, src] of [originals, reconstructions].entries()) {
      const top = gap + (pair * 2 + k) * (h + gap);
      const left = gap + col * (w + gap);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        const v = Math.round(255 * Math.min(1, Math.max(0, src[i * h * w + y * w + x])));
        const o = ((top + y) * width + left + x) * 4;
        png.data[o] = png.data[o + 1] = png.data[o + 2] = v;
        png.data[o + 3] = 255;
      }
    }
  }
  return PNG.sync.write(png);
}

const PALETTE = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];

/** RGB PNG scatter of 2-D points (flat x0, y0, x1, y1, ...) coloured by integer label. */
export function codeScatter(codes: Float32Array, labels: ArrayLike<number>, size = 512): Buffer {
  const n = codes.length / 2;
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, codes[2 * i]); maxX = Math.max(maxX, codes[2 * i]);
    minY = Math.min(minY, codes[2 * i + 1]); maxY = Math.max(maxY, codes[2 * i + 1]);
  }
  const png = new PNG({ width: size, height: size });
  png.data.fill(255);
  const margin = 8;
  const scale = (v: number, lo: number, hi: number) => margin + ((v - lo) / (hi - lo || 1)) * (size - 2 * margin - 1);
  for (let i = 0; i < n; i++) {
    const cx = Math.round(scale(codes[2 * i], minX, maxX));
    const cy = Math.round(size - 1 - scale(codes[2 * i + 1], minY, maxY));
    const [r, g, b] = PALETTE[((labels[i] % 10) + 10) % 10];
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      const x = cx + dx, y = cy + dy;
      if (x < 0 || y < 0 || x >= size || y >= size) continue;
      const o = (y * size + x) * 4;
      [png.data[o], png.data[o + 1], png.data[o + 2], png.data[o + 3]] = [r, g, b, 255];
    }
  }
  return PNG.sync.write(png);
}

/**
 * Writes `reconstructions.png` (the first `count` test images over their reconstructions)
 * and, when the code has 2 dimensions, `code-scatter.png` (up to 2000 test codes by class).
 * Returns the paths written.
 */
export async function inspectAutoencoder({ model, test, outDir }: InspectRequest, count = 32): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const ae = new Autoencoder(splitAutoencoder(model));
  const per = test.xShape.slice(1).reduce((a, b) => a * b, 1);
  // Images as they are; flat samples of a square size (784) as squares, others as 1-pixel rows.
  const side = Math.sqrt(per);
  const [h, w] = test.xShape.length >= 3 ? [test.xShape[1], test.xShape[2]] : Number.isInteger(side) ? [side, side] : [1, per];
  const n = Math.min(count, test.xShape[0]);
  const x = test.x.subarray(0, n * per);
  const files = [join(outDir, 'reconstructions.png')];
  writeFileSync(files[0], reconstructionGrid(x, ae.reconstruct(x), h, w));
  if (ae.codeSize === 2) {
    const m = Math.min(2000, test.xShape[0]);
    files.push(join(outDir, 'code-scatter.png'));
    writeFileSync(files[1], codeScatter(ae.encode(test.x.subarray(0, m * per)), test.y.subarray(0, m)));
  }
  return files;
}
