import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OptionError } from '../../src/errors.js';
import { loadLatestCheckpoint, variableWeights } from '../../src/io/checkpoint.js';
import { permutation, type Rng } from '../../src/random.js';
import { tf } from '../../src/tf.js';
import { clipByGlobalNorm, cosineDecay, type EpochLoopOptions, gradientStep, type LearningRatePlan, trainEpochs } from '../../src/train/index.js';
import { useWasm } from '../helpers.js';

beforeAll(useWasm);

const ROWS = 32;
const BATCH = 8;
/** A seeded linear regression: y = x · [1, -2, 0.5] + 0.3 + noise, on 32 rows of 3 features. */
const xs = Float32Array.from({ length: ROWS * 3 }, (_, i) => Math.sin(i * 1.7) * 2);
const ys = Float32Array.from({ length: ROWS }, (_, r) => xs[r * 3] - 2 * xs[r * 3 + 1] + 0.5 * xs[r * 3 + 2] + 0.3 + Math.cos(r) * 0.1);

/** A linear model's variables (seeded start) and the loop options that train it with Adam. */
function linearRun(extra: Partial<EpochLoopOptions<Int32Array>> = {}) {
  const w = tf.variable(tf.tensor2d([[0.1], [0.2], [-0.1]]));
  const b = tf.variable(tf.scalar(0));
  const optimizer = tf.train.adam(0.2);
  const options: EpochLoopOptions<Int32Array> = {
    epochs: 4,
    stepsPerEpoch: ROWS / BATCH,
    batches: (rng: Rng) => {
      const order = permutation(ROWS, rng);
      return Array.from({ length: ROWS / BATCH }, (_, k) => order.subarray(k * BATCH, (k + 1) * BATCH));
    },
    step: (rows) => {
      const loss = gradientStep(optimizer, [w, b], () =>
        tf.tidy(() => {
          const x = tf.gather(tf.tensor2d(xs, [ROWS, 3]), tf.tensor1d(rows, 'int32'));
          const y = tf.gather(tf.tensor1d(ys), tf.tensor1d(rows, 'int32'));
          return tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, w).squeeze([1]), b)) as tf.Scalar;
        }),
        1,
      );
      return { metrics: { loss }, samples: rows.length };
    },
    weights: variableWeights([w, b]),
    optimizer,
    seed: 3,
    learningRate: { rate: 0.2, schedule: cosineDecay(16, 0.1) },
    ...extra,
  };
  const weights = () => [...w.dataSync(), ...b.dataSync()];
  const dispose = () => {
    tf.dispose([w, b]);
    optimizer.dispose();
  };
  return { options, weights, dispose, optimizer };
}

describe('trainEpochs', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'nz-epochs-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('learns, and a run killed after epoch 2 then resumed ends with the weights and history of an uninterrupted run', async () => {
    const whole = linearRun();
    const full = await trainEpochs(whole.options);
    expect(full.history.loss).toHaveLength(4);
    expect(full.history.loss[3]).toBeLessThan(full.history.loss[0] / 4);
    expect(full.steps).toBe(16);

    const dir = tempDir();
    const killed = linearRun({
      checkpointDir: dir,
      onEpoch: (epoch) => {
        if (epoch === 1) throw new Error('killed after epoch 2');
      },
    });
    await expect(trainEpochs(killed.options)).rejects.toThrow('killed after epoch 2');
    const resumed = linearRun({ checkpointDir: dir, resume: true });
    const rest = await trainEpochs(resumed.options);
    expect(rest.resumedEpochs).toBe(2);
    expect(rest.epochs).toEqual([2, 3]);
    expect(rest.steps).toBe(8);
    expect(rest.history).toEqual(full.history);
    expect(resumed.weights()).toEqual(whole.weights());
    for (const run of [whole, killed, resumed]) run.dispose();
  });

  it('stops at the time budget, anneals the rate over it, and writes no checkpoint for the cut epoch', async () => {
    let now = 0;
    const rates: number[] = [];
    const dir = tempDir();
    const run = linearRun({ epochs: 100, maxSeconds: 5, clock: () => now, checkpointDir: dir });
    const step = run.options.step;
    const result = await trainEpochs({
      ...run.options,
      step: async (rows) => {
        rates.push((run.optimizer as unknown as { learningRate: number }).learningRate);
        now += 1; // every step takes one second
        return step(rows);
      },
      // the 100 epochs would take 400 steps: the budget ends first and sets the pace
      learningRate: { rate: 0.05, schedule: cosineDecay(400, 0.1) },
      onEpoch: () => {
        now += 100; // time in callbacks is not counted
      },
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.steps).toBe(6);
    expect(result.epochs).toEqual([0, 1]);
    expect(result.trainSeconds).toBe(6);
    const expected = [0, 1, 2, 3, 4, 5].map((s) => 0.05 * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * s) / 5))));
    rates.forEach((rate, i) => expect(rate).toBeCloseTo(expected[i], 12));
    expect(rates[5]).toBeCloseTo(0.005, 12);
    expect((await loadLatestCheckpoint(dir))?.epoch).toBe(1);
    run.dispose();
  });

  it("follows steps only with follow 'count', and sets the rate once per epoch with per 'epoch'", async () => {
    /** The rates a 2-epoch run sets (one per step) when every step takes `stepSeconds` of a 1000 s budget. */
    const ratesOf = async (plan: LearningRatePlan, stepSeconds: number) => {
      let now = 0;
      const rates: number[] = [];
      const run = linearRun({ epochs: 2, maxSeconds: 1000, clock: () => now, learningRate: plan });
      const step = run.options.step;
      await trainEpochs({
        ...run.options,
        step: (rows) => {
          rates.push((run.optimizer as unknown as { learningRate: number }).learningRate);
          now += stepSeconds;
          return step(rows);
        },
      });
      run.dispose();
      return rates;
    };
    const cos = (f: number) => 0.5 * (1 + Math.cos(Math.PI * f));
    // 250 s a step: the budget ends after 5 of the 8 steps; 'count' still follows the steps, 'first' the budget
    expect(await ratesOf({ rate: 1, schedule: cosineDecay(8, 0), follow: 'count' }, 250)).toEqual([0, 1, 2, 3, 4].map((s) => cos(s / 8)));
    expect(await ratesOf({ rate: 1, schedule: cosineDecay(8, 0) }, 250)).toEqual([0, 1, 2, 3, 4].map((s) => cos(Math.min(1, s / 4))));
    expect(await ratesOf({ rate: 1, schedule: cosineDecay(2, 0), per: 'epoch' }, 100)).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5]);
  });

  it('keeps tf.memory().numTensors flat across epochs and leaves nothing behind', async () => {
    const counts: number[] = [];
    const run = linearRun({ epochs: 4, onEpoch: () => void counts.push(tf.memory().numTensors) });
    await trainEpochs(run.options);
    // Adam's slots exist from the first step on, so every epoch ends with the same count
    expect(counts).toEqual([counts[0], counts[0], counts[0], counts[0]]);
    expect(tf.memory().numTensors).toBe(counts[0]);
    run.dispose();
  });

  it('draws a progress bar when verbose, and stays quiet by default', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const quiet = linearRun({ epochs: 1 });
      await trainEpochs(quiet.options);
      expect(write).not.toHaveBeenCalled();
      const loud = linearRun({ epochs: 2, verbose: true });
      await trainEpochs(loud.options);
      const text = write.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toMatch(/Epoch 1\/2 \[=+>\] 4\/4 {2}loss \d\.\d{4}/);
      expect(text).toMatch(/Epoch 2\/2 {2}\d+\.\ds {2}loss \d\.\d{4}\n/);
      for (const run of [quiet, loud]) run.dispose();
    } finally {
      write.mockRestore();
    }
  });

  it('rejects bad options with exact messages', async () => {
    const run = linearRun();
    await expect(trainEpochs({ ...run.options, epochs: 0 })).rejects.toThrow(new OptionError('epochs must be a positive integer, got 0'));
    await expect(trainEpochs({ ...run.options, resume: true })).rejects.toThrow(new OptionError('resume needs checkpointDir to resume from'));
    await expect(trainEpochs({ ...run.options, learningRate: { rate: 1, schedule: cosineDecay(4), follow: 'time' } })).rejects.toThrow(
      new OptionError("a learning rate that follows 'time' needs a positive maxSeconds, got undefined"),
    );
    run.dispose();
  });
});

describe('clipByGlobalNorm and gradientStep', () => {
  it('scales gradients together to the norm limit, and leaves them alone under it', () => {
    const grads = [tf.tensor1d([3]), tf.tensor1d([4])];
    const clipped = clipByGlobalNorm(grads, 1);
    expect(clipped.map((g) => g.dataSync()[0])).toEqual([Math.fround(3 * Math.fround(0.2)), Math.fround(4 * Math.fround(0.2))]);
    const kept = clipByGlobalNorm(grads, 10);
    expect(kept.map((g) => g.dataSync()[0])).toEqual([3, 4]);
    tf.dispose([...grads, ...clipped, ...kept]);
  });

  it('applies the clipped gradient and returns the loss', () => {
    const v = tf.variable(tf.tensor1d([0, 0]));
    const sgd = tf.train.sgd(1);
    const before = tf.memory().numTensors;
    const loss = gradientStep(sgd, [v], () => tf.tidy(() => tf.sum(tf.mul(tf.add(v, 1), tf.tensor1d([3, 4])))) as tf.Scalar, 1);
    expect(loss).toBe(7);
    expect(Array.from(v.dataSync())).toEqual([-Math.fround(3 * Math.fround(0.2)), -Math.fround(4 * Math.fround(0.2))]);
    expect(tf.memory().numTensors).toBe(before);
    const unclipped = gradientStep(sgd, [v], () => tf.tidy(() => tf.sum(tf.mul(v, tf.tensor1d([3, 4])))) as tf.Scalar);
    expect(unclipped).toBeCloseTo(-5, 5);
    expect(Array.from(v.dataSync()).map((x) => +x.toFixed(5))).toEqual([-3.6, -4.8]);
    v.dispose();
    sgd.dispose();
  });
});
