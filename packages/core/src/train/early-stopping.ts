import { OptionError } from '../errors.js';
import type { tf } from '../tf.js';
import type { Callback, Logs, TrainContext } from './callbacks.js';

export interface EarlyStoppingOptions {
  /** Log to watch, e.g. 'val_loss' (default) or 'val_acc'. */
  monitor?: string;
  /** Epochs without improvement before stopping (default 3). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** 'min' for losses, 'max' for accuracies; 'auto' picks from the name (default). */
  mode?: 'auto' | 'min' | 'max';
  /** Put back the weights of the best epoch when stopping (default true). */
  restoreBestWeights?: boolean;
}

/** Stops training when `monitor` has not improved for `patience` epochs. */
export function earlyStopping(options: EarlyStoppingOptions = {}): Callback {
  const monitor = options.monitor ?? 'val_loss';
  const patience = options.patience ?? 3;
  const minDelta = Math.abs(options.minDelta ?? 0);
  const mode = options.mode ?? 'auto';
  if (!['auto', 'min', 'max'].includes(mode)) {
    throw new OptionError(`earlyStopping mode must be 'auto', 'min' or 'max', got '${mode}'`);
  }
  const maximize = mode === 'max' || (mode === 'auto' && /acc|auc|precision|recall/.test(monitor));
  const restore = options.restoreBestWeights ?? true;
  let best = maximize ? -Infinity : Infinity;
  let wait = 0;
  let bestWeights: tf.Tensor[] | null = null;
  const dropBest = () => {
    bestWeights?.forEach((t) => t.dispose());
    bestWeights = null;
  };

  return {
    onEpochEnd(_epoch: number, logs: Logs, ctx: TrainContext) {
      const value = logs[monitor];
      if (value === undefined) {
        throw new OptionError(`earlyStopping monitors '${monitor}', but the logs only have: ${Object.keys(logs).join(', ')}`);
      }
      const improved = maximize ? value > best + minDelta : value < best - minDelta;
      if (improved) {
        best = value;
        wait = 0;
        if (restore) {
          dropBest();
          bestWeights = ctx.model.getWeights().map((w) => w.clone());
        }
      } else if (++wait >= patience) {
        ctx.stop();
      }
    },
    onTrainEnd(ctx: TrainContext) {
      if (restore && bestWeights && ctx.stopRequested) ctx.model.setWeights(bestWeights);
      dropBest();
    },
    getState: () => ({ best, wait }),
    setState(state: unknown) {
      ({ best, wait } = state as { best: number; wait: number });
    },
  };
}
