import type { TrainRequest } from '../arch.js';
import type { FitOptions } from './fit.js';
import { learningRateScheduler, warmupCosine } from './schedules.js';

/**
 * The {@link fit} options of a `neurozoo train` request, as the CLI's classifiers train: the
 * request's epochs, batch size, seed and verbosity; the optimizer's rate decayed along a cosine to
 * 1e-5 by the last epoch; and checkpoints in `checkpointDir` (resumed with `resume`) when it is set.
 */
export function requestFitOptions(request: Omit<TrainRequest, 'train' | 'test'>): FitOptions {
  const { epochs, batchSize, seed, verbose, checkpointDir, resume } = request;
  return {
    epochs,
    batchSize,
    seed,
    verbose,
    callbacks: [learningRateScheduler(warmupCosine(epochs, 0, 1e-5))],
    ...(checkpointDir ? { checkpoint: { dir: checkpointDir }, resume } : {}),
  };
}
