import { initBackend } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { benchCnn, benchCnnInference } from '../src/index.js';

beforeAll(() => initBackend({ backend: 'wasm' }));

describe('benchmarks (smoke: tiny budgets)', () => {
  it('benchCnn trains the peer CNN and reports samples/s; a missing peer script is skipped', async () => {
    const r = await benchCnn({ padding: 'same', seconds: 0.2, warmup: 1, peerScript: '/nonexistent/bench_cnn.py' });
    expect(r.model).toBe('cnn_same');
    expect(r.steps).toBeGreaterThanOrEqual(1);
    expect(Number.isFinite(r.samplesPerSecond) && r.samplesPerSecond > 0).toBe(true);
    expect(r.pytorch).toBeUndefined();
  });

  it('benchCnnInference times tfjs and onnxruntime on the same inputs', async () => {
    const r = await benchCnnInference(undefined, [2], 2);
    expect(Object.keys(r.latencyMs)).toEqual(['2']);
    const { tfjs, onnxruntime, speedup } = r.latencyMs[2];
    expect(tfjs).toBeGreaterThan(0);
    expect(onnxruntime).toBeGreaterThan(0);
    expect(speedup).toBeCloseTo(tfjs / onnxruntime, 10);
  });
});
