import { initBackend } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { benchLstm } from '../src/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('benchLstm', () => {
  it('times at least minSteps training steps of the named model and reports samples/s', async () => {
    const r = await benchLstm({ bidirectional: true, seconds: 0, warmup: 0, minSteps: 2, batch: 4, seq: 3 });
    expect(r.model).toBe('bilstm_seq3_in64_h128');
    expect(r.backend).toBe('wasm');
    expect(r.steps).toBeGreaterThanOrEqual(2);
    expect(r.samplesPerSecond).toBeCloseTo((4 * r.steps) / r.seconds, 6);
    expect(r.medianStepMs).toBeGreaterThan(0);
  }, 120_000);
});
