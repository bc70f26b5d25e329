import { describe, expect, it } from 'vitest';
import { requestFitOptions } from '../../src/train/index.js';

describe('requestFitOptions', () => {
  const request = { epochs: 4, batchSize: 32, seed: 7, verbose: false as const };

  it("passes the request's loop settings on, with a cosine decay of the rate to 1e-5 at the last epoch", () => {
    const options = requestFitOptions(request);
    expect(Object.keys(options).sort()).toEqual(['batchSize', 'callbacks', 'epochs', 'seed', 'verbose']);
    expect([options.epochs, options.batchSize, options.seed, options.verbose]).toEqual([4, 32, 7, false]);
    const rates: number[] = [];
    const optimizer = { learningRate: 0.1 };
    const [scheduler] = options.callbacks ?? [];
    const ctx = { model: { optimizer } } as never;
    scheduler.onTrainBegin?.(ctx);
    for (let epoch = 0; epoch < 5; epoch++) {
      scheduler.onEpochBegin?.(epoch, ctx);
      rates.push((optimizer as { learningRate: number }).learningRate);
    }
    expect(rates[0]).toBeCloseTo(0.1, 10);
    expect(rates[2]).toBeCloseTo(1e-5 + 0.5 * (0.1 - 1e-5), 10);
    expect(rates[4]).toBeCloseTo(1e-5, 10);
  });

  it('checkpoints in checkpointDir, and resumes only when asked', () => {
    expect(requestFitOptions({ ...request, checkpointDir: '/tmp/ckpt', resume: true })).toMatchObject({ checkpoint: { dir: '/tmp/ckpt' }, resume: true });
    expect(requestFitOptions({ ...request, resume: true })).not.toHaveProperty('checkpoint');
  });
});
