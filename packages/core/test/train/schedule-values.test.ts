/** The learning-rate schedules' values, computed by hand. */
import { describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors.js';
import { exponentialDecay, setLearningRate, stepDecay, warmupCosine } from '../../src/index.js';
import { tf } from '../../src/tf.js';

const at = (schedule: (epoch: number, lr0: number) => number, epochs: number[], lr0 = 0.1) => epochs.map((e) => Number(schedule(e, lr0).toPrecision(6)));

describe('learning-rate schedules', () => {
  it('stepDecay halves every 2 epochs; exponentialDecay multiplies by the rate each epoch', () => {
    expect(at(stepDecay(0.5, 2), [0, 1, 2, 3, 4])).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    expect(at(exponentialDecay(0.9), [0, 1, 2, 10])).toEqual([0.1, 0.09, 0.081, 0.0348678]);
  });

  it('warmupCosine: linear warm-up, cosine to minRate at totalEpochs, held there after', () => {
    // 2 warm-up epochs then 4 cosine epochs: 0.05, 0.1, then 0.1 * (1 + cos(pi k / 4)) / 2 for k = 1..4
    expect(at(warmupCosine(6, 2), [0, 1, 2, 3, 4, 5, 6, 9])).toEqual([0.05, 0.1, 0.1, 0.0853553, 0.05, 0.0146447, 0, 0]);
    expect(at(warmupCosine(4, 0, 0.01), [0, 2, 4])).toEqual([0.1, 0.055, 0.01]);
  });
});

describe('setLearningRate', () => {
  it("sets a tfjs optimizer's rate, which its next step then uses", () => {
    const sgd = tf.train.sgd(0.1);
    setLearningRate(sgd, 0.5);
    expect(sgd.getConfig().learningRate).toBe(0.5);
    const w = tf.variable(tf.scalar(1));
    sgd.minimize(() => tf.mul(w, 2) as tf.Scalar); // gradient 2: w = 1 - 0.5 * 2
    expect(w.dataSync()[0]).toBe(0);
    const adam = tf.train.adam(0.01);
    setLearningRate(adam, 0.002);
    expect(adam.getConfig().learningRate).toBe(0.002);
  });

  it('rejects an optimizer without a numeric learning rate', () => {
    expect(() => setLearningRate({} as tf.Optimizer, 0.1)).toThrow(
      new OptionError('a learning-rate schedule needs an optimizer with a numeric learningRate (sgd, adam, rmsprop, ...)'),
    );
  });
});
