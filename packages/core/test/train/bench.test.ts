import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { comparePeer, type PeerComparison, peerThroughput, type TrainingBench, timeSteps } from '../../src/bench.js';

const dir = mkdtempSync(join(tmpdir(), 'nz-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('timeSteps', () => {
  it('runs the warm-up untimed, then at least minSteps timed steps', async () => {
    let calls = 0;
    const t = await timeSteps(() => new Promise((r) => setTimeout(() => r(calls++), 2)), { seconds: 0, warmup: 2, minSteps: 5 });
    expect(calls).toBe(7);
    expect(t.steps).toBe(5);
    expect(t.medianMs).toBeGreaterThanOrEqual(1.5);
    expect(t.perSecond).toBeCloseTo(t.steps / t.seconds, 6);
  });

  it('keeps stepping until the wall-clock budget is spent', async () => {
    const t = await timeSteps(() => new Promise((r) => setTimeout(r, 5)), { seconds: 0.1, warmup: 0, minSteps: 1 });
    expect(t.seconds).toBeGreaterThanOrEqual(0.1);
    expect(t.steps).toBeGreaterThan(3);
  });
});

describe('peerThroughput', () => {
  it("reads the key from the script's last JSON line and passes the arguments", () => {
    const script = join(dir, 'peer.py');
    writeFileSync(script, 'import json, sys\nprint("warming up")\nprint(json.dumps({"samples_per_s": 10.0 * int(sys.argv[2]), "tokens_per_s": 5.5}))\n');
    expect(peerThroughput(script, ['--batch', '3'])).toEqual({ perSecond: 30 });
    expect(peerThroughput(script, ['--batch', '3'], 'tokens_per_s')).toEqual({ perSecond: 5.5 });
  });

  it('is null for a missing script and names the failure of a broken one', () => {
    expect(peerThroughput(join(dir, 'absent.py'), [])).toBeNull();
    const broken = join(dir, 'broken.py');
    writeFileSync(broken, 'import torch_that_is_not_there\n');
    expect(peerThroughput(broken, [])).toEqual({ error: "ModuleNotFoundError: No module named 'torch_that_is_not_there'" });
  });
});

describe('comparePeer', () => {
  it("puts the peer's samples/s beside ours as a ratio, passes a failure on, and is null without a script", () => {
    const script = join(dir, 'peer-compare.py');
    writeFileSync(script, 'import json\nprint(json.dumps({"samples_per_s": 400.0}))\n');
    const bench: TrainingBench & { pytorch?: PeerComparison } = { model: 'toy', backend: 'cpu', samplesPerSecond: 100, steps: 3 };
    bench.pytorch = comparePeer(script, [], bench.samplesPerSecond) ?? undefined;
    expect(bench.pytorch).toEqual({ samplesPerSecond: 400, ratio: 0.25 });
    const broken = join(dir, 'broken-compare.py');
    writeFileSync(broken, 'raise SystemExit("no GPU here")\n');
    expect(comparePeer(broken, [], 100)).toEqual({ error: 'no GPU here' });
    expect(comparePeer(join(dir, 'absent.py'), [], 100)).toBeNull();
  });
});
