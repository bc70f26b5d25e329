import { beforeAll, describe, expect, it } from 'vitest';
import { fit, isInteractive, progressBar } from '../../src/train/index.js';
import { blobs, smallModel, useWasm } from '../helpers.js';

beforeAll(useWasm);

/** A stand-in for process.stderr that records what is written. */
function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream };
}

describe('progress output', () => {
  it('draws epoch, batch bar, loss, metric and ETA, and one summary line per epoch', async () => {
    const { x, y } = blobs(96);
    const { chunks, stream } = fakeStream(true);
    await fit(smallModel(1), x, y, { epochs: 2, batchSize: 32, validationSplit: 0.25, verbose: false, callbacks: [progressBar(stream)] });
    const text = chunks.join('');
    expect(text).toMatch(/Epoch 1\/2 \[=*>? *\] 3\/3 {2}loss \d\.\d{4} {2}acc \d\.\d{4} {2}ETA \d+\.\ds/);
    const summaries = text.split('\n').filter((l) => l.includes('val_loss'));
    expect(summaries).toHaveLength(2);
    expect(summaries[1]).toMatch(/Epoch 2\/2 {2}\d+\.\ds {2}loss \d\.\d{4} {2}acc \d\.\d{4} {2}val_loss \d\.\d{4} {2}val_acc \d\.\d{4}$/);
  });

  it('stays quiet in CI and when stderr is not a TTY', () => {
    const saved = process.env.CI;
    try {
      process.env.CI = 'true';
      expect(isInteractive(fakeStream(true).stream)).toBe(false);
      delete process.env.CI;
      expect(isInteractive(fakeStream(false).stream)).toBe(false);
      expect(isInteractive(fakeStream(true).stream)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.CI;
      else process.env.CI = saved;
    }
  });
});
