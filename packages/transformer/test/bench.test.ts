import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, type TrainingBench } from '@neurozoo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchTransformer } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nz-bench-tr-'));
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('benchTransformer', () => {
  it('times the peer LM in tokens/s and compares with the peer script in tokens/s', async () => {
    const peer = join(dir, 'peer.py');
    writeFileSync(peer, 'import json\nprint(json.dumps({"tokens_per_s": 1000.0}))\n');
    const result = await benchTransformer({ batchSize: 2, seq: 8, vocab: 12, seconds: 0.05, warmup: 1, peerScript: peer });
    expect(result.model).toBe('transformer_lm_d64_h2_l2_seq64');
    expect(result.backend).toBe('wasm');
    expect(result.steps).toBeGreaterThanOrEqual(3);
    expect(result.tokensPerSecond).toBeCloseTo(result.samplesPerSecond * 8, 6);
    // embedding 12x64 + positions 8x64 + 2 blocks (4·64² + 4·64 attention, 2·64·256 + 256 + 64 FFN, 2 norms) + logits 64x12 + 12
    expect(result.params).toBe(12 * 64 + 8 * 64 + 2 * (4 * 64 * 64 + 4 * 64 + 2 * 64 * 256 + 256 + 64 + 4 * 64) + 64 * 12 + 12);
    expect(result.pytorch).toEqual({ tokensPerSecond: 1000, ratio: result.tokensPerSecond / 1000 });
    const shared: TrainingBench = result; // the fields every family's bench shares
    expect(shared.samplesPerSecond).toBeGreaterThan(0);
    const alone = await benchTransformer({ batchSize: 2, seq: 8, vocab: 12, seconds: 0.05, warmup: 1 });
    expect(alone.pytorch).toBeUndefined();
  });
});
