import { OptionError } from '../errors.js';
import type { tf } from '../tf.js';
import type { Callback, TrainContext } from './callbacks.js';

/** Learning rate as a function of the epoch (0-based) and the optimizer's initial rate. */
export type Schedule = (epoch: number, initialRate: number) => number;

/** Multiplies the rate by `factor` every `every` epochs. */
export const stepDecay =
  (factor: number, every: number): Schedule =>
  (epoch, lr0) =>
    lr0 * factor ** Math.floor(epoch / every);

/** lr0 * rate^epoch. */
export const exponentialDecay =
  (rate: number): Schedule =>
  (epoch, lr0) =>
    lr0 * rate ** epoch;

/** Linear warm-up over `warmupEpochs`, then cosine decay to `minRate` at `totalEpochs`. */
export const warmupCosine =
  (totalEpochs: number, warmupEpochs = 0, minRate = 0): Schedule =>
  (epoch, lr0) => {
    if (epoch < warmupEpochs) return (lr0 * (epoch + 1)) / warmupEpochs;
    const progress = Math.min(1, (epoch - warmupEpochs) / Math.max(1, totalEpochs - warmupEpochs));
    return minRate + 0.5 * (lr0 - minRate) * (1 + Math.cos(Math.PI * progress));
  };

/**
 * Cosine decay from lr0 to `floor` × lr0 over `total` steps or epochs (no warm-up); stays at the
 * floor after `total`. A fractional position (a time budget converted to steps) is fine.
 */
export const cosineDecay =
  (total: number, floor = 0): Schedule =>
  (at, lr0) =>
    lr0 * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, at / total))));

// SGD and momentum cache -lr in a tensor and need setLearningRate; Adam/RMSProp read the field.
type WithRate = tf.Optimizer & { learningRate: number; setLearningRate?: (lr: number) => void };

/** Sets an optimizer's learning rate (Adam and RMSProp read the field, SGD and momentum need the setter). */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const opt = optimizer as WithRate;
  if (typeof opt.learningRate !== 'number') throw new OptionError('a learning-rate schedule needs an optimizer with a numeric learningRate (sgd, adam, rmsprop, ...)');
  if (opt.setLearningRate) opt.setLearningRate(rate);
  else opt.learningRate = rate;
}

/** Sets the optimizer's learning rate from `schedule` at the start of every epoch; logs it as `lr`. */
export function learningRateScheduler(schedule: Schedule): Callback {
  let initial: number | undefined;
  const optimizerOf = (ctx: TrainContext): WithRate => {
    const opt = ctx.model.optimizer as WithRate;
    if (typeof opt?.learningRate !== 'number') {
      throw new OptionError('learningRateScheduler needs an optimizer with a numeric learningRate (sgd, adam, rmsprop, ...)');
    }
    return opt;
  };
  return {
    onTrainBegin(ctx) {
      initial ??= optimizerOf(ctx).learningRate;
    },
    onEpochBegin(epoch, ctx) {
      setLearningRate(optimizerOf(ctx), schedule(epoch, initial as number));
    },
    onEpochEnd(_epoch, logs, ctx) {
      logs.lr = optimizerOf(ctx).learningRate;
    },
    getState: () => ({ initial }),
    setState(state) {
      initial = (state as { initial: number }).initial;
    },
  };
}
