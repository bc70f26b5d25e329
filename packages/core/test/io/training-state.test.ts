/** saveTrainingState / restoreTrainingState: a custom loop's variables and Adam's slots survive a restart. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { restoreTrainingState, saveTrainingState, variableWeights } from '../../src/io/index.js';
import { tf } from '../../src/tf.js';
import { useWasm } from '../helpers.js';

beforeAll(useWasm);

/** One Adam step on (w·x - 1)², so the optimizer has moments and a step count to save. */
function step(w: tf.Variable, opt: tf.Optimizer): void {
  opt.minimize(() => tf.sum(tf.square(tf.sub(tf.sum(tf.mul(w, tf.tensor1d([1, 2, 3]))), 1))) as tf.Scalar);
}

describe('saveTrainingState / restoreTrainingState', () => {
  it('returns null for a folder without checkpoints (a fresh run)', async () => {
    const w = tf.variable(tf.zeros([3]));
    expect(await restoreTrainingState(mkdtempSync(join(tmpdir(), 'nz-state-')), variableWeights([w]), tf.train.adam(0.1))).toBeNull();
  });

  it('restores weights, optimizer slots, epoch and meta, so training resumes exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nz-state-'));
    const w = tf.variable(tf.tensor1d([0.5, -0.5, 0.25]));
    const opt = tf.train.adam(0.1);
    step(w, opt);
    await saveTrainingState(dir, 4, variableWeights([w]), opt, { seed: 7, losses: [1.5, 0.5] });
    step(w, opt);
    const continued = Array.from(w.dataSync());

    const fresh = tf.variable(tf.zeros([3]));
    const freshOpt = tf.train.adam(0.1);
    step(fresh, freshOpt); // creates Adam's slots, which restore then overwrites
    expect(await restoreTrainingState(dir, variableWeights([fresh]), freshOpt)).toEqual({ epoch: 4, meta: { seed: 7, losses: [1.5, 0.5] } });
    step(fresh, freshOpt);
    expect(Array.from(fresh.dataSync())).toEqual(continued);
  });
});
