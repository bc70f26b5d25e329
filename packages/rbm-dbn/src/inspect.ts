/**
 * Pictures of a trained RBM or DBN (`neurozoo inspect <dir>`): the first layer's filters
 * (each hidden unit's weights as a tile, 28x28 for MNIST) and Gibbs samples, written as PNG.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type InspectRequest, OptionError, tf, tileGrid, type TileGridOptions } from '@neurozoo/core';
import { PNG } from 'pngjs';
import { topDown } from './dbn.js';
import { RbmHidden } from './layers/index.js';
import { RBM } from './rbm.js';

/** Core's tile grid (gray separators, 2 pixels per value unless told) as PNG bytes. */
function tilesPng(tiles: Float32Array[], h: number, w: number, options: TileGridOptions = {}): Uint8Array {
  const image = tileGrid(tiles, h, w, options);
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data);
  return PNG.sync.write(png);
}

/** The first `count` columns of a [visible, hidden] weight matrix, one tile per hidden unit. */
export function filterTiles(W: tf.Tensor2D, count = 100): Float32Array[] {
  const [nv, nh] = W.shape;
  const data = W.dataSync() as Float32Array;
  return Array.from({ length: Math.min(count, nh) }, (_, j) => Float32Array.from({ length: nv }, (_, i) => data[i * nh + j]));
}

/** Rows of a [n, d] tensor as tiles. */
export const rowTiles = (t: tf.Tensor2D): Float32Array[] => {
  const data = t.dataSync() as Float32Array;
  const d = t.shape[1];
  return Array.from({ length: t.shape[0] }, (_, i) => data.slice(i * d, (i + 1) * d));
};

/**
 * Writes `filters.png` (the first RBM's filters), `samples.png` (36 Gibbs chains from noise: 200
 * steps in the RBM, or in a DBN's top RBM followed by a top-down pass) and `samples-from-data.png`
 * (chains started at test images, 20 steps) into `outDir`; returns the paths.
 */
export async function inspectRbm({ model, test, outDir }: InspectRequest): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const layers = model.layers.filter((l): l is RbmHidden => l instanceof RbmHidden);
  if (layers.length === 0) throw new OptionError(`Model '${model.name}' has no RbmHidden layer to draw.`);
  const rbms = layers.map((l) => RBM.fromLayer(l));
  const nv = rbms[0].visible;
  const side = Math.round(Math.sqrt(nv));
  const [h, w] = side * side === nv ? [side, side] : [1, nv];
  const files: string[] = [];
  const write = (name: string, bytes: Uint8Array) => {
    files.push(join(outDir, name));
    writeFileSync(join(outDir, name), bytes);
  };
  write('filters.png', tilesPng(filterTiles(rbms[0].W as tf.Tensor2D), h, w, { zoom: 2 }));
  const top = rbms[rbms.length - 1];
  const lower = rbms.slice(0, -1);
  const fromNoise = topDown(lower, top.sample({ n: 36, steps: 200, seed: 1 }));
  write('samples.png', tilesPng(rowTiles(fromNoise), h, w, { zoom: 2, columns: 6, range: [0, 1] }));
  const n = Math.min(16, test.y.length);
  const start = test.x.subarray(0, n * nv);
  const lifted = lower.reduce<tf.Tensor2D>((x, r) => {
    const next = r.transform(x);
    x.dispose();
    return next;
  }, tf.tensor2d(start, [n, nv]));
  const fromData = topDown(lower, top.sample({ from: lifted, steps: 20, seed: 2 }));
  const original = tf.tensor2d(start, [n, nv]);
  write('samples-from-data.png', tilesPng([...rowTiles(original), ...rowTiles(fromData)], h, w, { zoom: 2, columns: n, range: [0, 1] }));
  tf.dispose([fromNoise, lifted, fromData, original]);
  for (const r of rbms) r.dispose();
  return files;
}
