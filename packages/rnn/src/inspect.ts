/**
 * A PNG heatmap of attention weights: one row per output step, one column per source symbol,
 * white = 0 to black = 1, with `zoom` pixels per cell (no text: the caller knows the labels).
 */
import { PNG } from 'pngjs';
import { DataError } from '@neurozoo/core';

/** Encodes `attention` ([output steps][source length]) as PNG bytes. */
export function attentionHeatmap(attention: readonly Float32Array[], zoom = 24): Uint8Array {
  const rows = attention.length;
  const cols = attention[0]?.length ?? 0;
  if (rows === 0 || cols === 0) throw new DataError('attentionHeatmap needs at least one step of weights');
  const png = new PNG({ width: cols * zoom, height: rows * zoom });
  for (let y = 0; y < rows * zoom; y++) {
    for (let x = 0; x < cols * zoom; x++) {
      const v = Math.round(255 * (1 - Math.min(1, Math.max(0, attention[Math.floor(y / zoom)][Math.floor(x / zoom)]))));
      const i = (y * cols * zoom + x) * 4;
      const edge = x % zoom === 0 || y % zoom === 0;
      png.data[i] = png.data[i + 1] = png.data[i + 2] = edge ? Math.min(v, 200) : v;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
