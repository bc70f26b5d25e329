/** benchAutoencoder on a tiny budget, with a stand-in peer script whose figure is known. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@neurozoo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchAutoencoder } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nz-ae-bench-'));
beforeAll(() => initBackend({ backend: 'wasm' }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('benchAutoencoder', () => {
  it('times 784-64-784 training steps and puts the peer\'s samples/s beside ours', async () => {
    const peer = join(dir, 'bench_autoencoder.py');
    // Echoes the batch size it was given, so the test sees the arguments arrive.
    writeFileSync(peer, 'import json, sys\nprint(json.dumps({"samples_per_s": 1000.0 * int(sys.argv[sys.argv.index("--batch") + 1])}))\n');
    const r = await benchAutoencoder({ batchSize: 8, seconds: 0.2, warmup: 1, peerScript: peer });
    expect(r.model).toBe('autoencoder_784-64-784');
    expect(r.backend).toBe('wasm');
    expect(r.steps).toBeGreaterThanOrEqual(3); // timeSteps' minimum
    expect(r.samplesPerSecond).toBeGreaterThan(0);
    expect(r.pytorch).toEqual({ samplesPerSecond: 8000, ratio: r.samplesPerSecond / 8000 });
  });

  it('leaves the peer out when no script is given', async () => {
    const r = await benchAutoencoder({ batchSize: 4, seconds: 0, warmup: 0 });
    expect(r.pytorch).toBeUndefined();
    expect(r.steps).toBeGreaterThanOrEqual(3); // timeSteps' minimum
  });
});
