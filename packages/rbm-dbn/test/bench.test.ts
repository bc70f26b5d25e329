/** benchRbm on a tiny budget, with a stand-in torch peer whose figure is known and a missing sklearn one. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@neurozoo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchRbm } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nz-rbm-bench-'));
beforeAll(() => initBackend({ backend: 'wasm' }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('benchRbm', () => {
  it('times CD-1 epochs of 64 batches and compares each peer, naming a missing one', async () => {
    const torch = join(dir, 'bench_rbm_torch.py');
    writeFileSync(torch, 'import json, sys\nprint(json.dumps({"samples_per_s": 100.0 * int(sys.argv[sys.argv.index("--batch") + 1])}))\n');
    const sklearn = join(dir, 'absent_sklearn.py');
    const r = await benchRbm({ batchSize: 8, hidden: 16, seconds: 0, peers: { torch, sklearn } });
    expect(r.model).toBe('rbm_784-16_cd1');
    expect(r.backend).toBe('wasm');
    expect(r.steps % 64).toBe(0); // whole epochs of 64 batches
    expect(r.steps).toBeGreaterThanOrEqual(64);
    expect(r.samplesPerSecond).toBeGreaterThan(0);
    expect(r.peers).toEqual({ torch: { samplesPerSecond: 800, ratio: r.samplesPerSecond / 800 }, sklearn: { error: `${sklearn} not found` } });
  });
});
