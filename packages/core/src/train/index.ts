export { fit, type FitOptions, type FitResult } from './fit.js';
export type { Callback, Logs, TrainContext } from './callbacks.js';
export { earlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { learningRateScheduler, stepDecay, exponentialDecay, warmupCosine, type Schedule } from './schedules.js';
export { progressBar, isInteractive } from './progress.js';
export { assertFinite, assertShapesMatch } from './validate.js';
export { lengthBatches, type SequencePair, type TeacherForcingBatch, teacherForcing } from './sequences.js';
