/** The training log line and the inspect tiles, on hand-made values. */
import { initBackend, tf } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterTiles, formatLog, rowTiles } from '../src/index.js';

beforeAll(() => initBackend({ backend: 'wasm' }));

describe('formatLog', () => {
  it('prints the monitors a log has, in a fixed order', () => {
    const base = { epoch: 3, reconstructionError: 0.0123456, meanHiddenActivation: 0.2, seconds: 12.34, samplesPerSecond: 4999.6 }; // mean activation is not printed
    expect(formatLog(base)).toBe('epoch 3, recon 0.01235, 12.3 s, 5000 samples/s');
    expect(formatLog({ ...base, validationReconstructionError: 0.02, pseudoLogLikelihood: -85.456, freeEnergyGap: 1.5 })).toBe(
      'epoch 3, recon 0.01235, val recon 0.02000, PLL -85.46, F gap 1.500, 12.3 s, 5000 samples/s',
    );
  });
});

describe('tiles', () => {
  it('filterTiles: one tile per hidden unit (a column of W), at most `count`; rowTiles: one per row', () => {
    const W = tf.tensor2d([[1, 2, 3], [4, 5, 6]]); // 2 visible x 3 hidden
    expect(filterTiles(W).map((t) => Array.from(t))).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(filterTiles(W, 2)).toHaveLength(2);
    expect(rowTiles(W).map((t) => Array.from(t))).toEqual([[1, 2, 3], [4, 5, 6]]);
    W.dispose();
  });
});
