import { checkOptions, OptionError, ShapeError } from '../errors.js';
import { loadLatestCheckpoint, saveCheckpoint } from '../io/checkpoint.js';
import { permutation, Rng, withSeed } from '../random.js';
import { tf } from '../tf.js';
import type { Callback, Logs, TrainContext } from './callbacks.js';
import { isInteractive, progressBar } from './progress.js';
import { assertFinite, assertShapesMatch } from './validate.js';

type Tensors = tf.Tensor | tf.Tensor[];

/** Options of {@link fit}. Unknown keys are rejected, so a typo never goes unnoticed. */
export interface FitOptions {
  /** Total epochs to train (default 1); a resumed run stops at the same total. */
  epochs?: number;
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  /** Seeds shuffling, dropout masks and every other draw made while training (default 0). */
  seed?: number;
  /** Reshuffle the training samples every epoch (default true). */
  shuffle?: boolean;
  /** Held-out data evaluated after every epoch; logged as `val_*`. */
  validationData?: [Tensors, Tensors];
  /** Fraction of the samples, taken from the end before shuffling, used as validation data. */
  validationSplit?: number;
  callbacks?: Callback[];
  /** Progress bar: 'auto' (default) shows it on a TTY outside CI. */
  verbose?: boolean | 'auto';
  /** Write a checkpoint every `every` epochs (default 1) to `dir`, keeping the newest `keep` (default 2). */
  checkpoint?: { dir: string; every?: number; keep?: number };
  /** Continue from the newest checkpoint in `checkpoint.dir` when there is one. */
  resume?: boolean;
  /** Reject NaN/Inf in x and y before training (default true). */
  checkData?: boolean;
}

/** What {@link fit} returns: per-epoch logs and throughput. */
export interface FitResult {
  /** Epoch indices trained in this call (0-based; a resumed run starts after its checkpoint). */
  epochs: number[];
  /** Every log key -> its value per epoch, for the whole run including resumed epochs. */
  history: Record<string, number[]>;
  /** True when a callback stopped training before `epochs`. */
  stoppedEarly: boolean;
  trainSeconds: number;
  samplesPerSecond: number;
}

const OPTION_KEYS = new Set([
  'epochs', 'batchSize', 'seed', 'shuffle', 'validationData', 'validationSplit',
  'callbacks', 'verbose', 'checkpoint', 'resume', 'checkData',
]);

const toArray = (t: Tensors): tf.Tensor[] => (Array.isArray(t) ? t : [t]);

function checkFitOptions(options: FitOptions): void {
  checkOptions(options, OPTION_KEYS, 'fit');
  const positiveInt = (name: string, v: number | undefined) => {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new OptionError(`${name} must be a positive integer, got ${v}`);
  };
  positiveInt('epochs', options.epochs);
  positiveInt('batchSize', options.batchSize);
  positiveInt('checkpoint.every', options.checkpoint?.every);
  const split = options.validationSplit;
  if (split !== undefined && !(split > 0 && split < 1)) throw new OptionError(`validationSplit must be in (0, 1), got ${split}`);
  if (options.resume && !options.checkpoint) throw new OptionError('resume needs checkpoint: { dir } to resume from');
}

/**
 * Trains a compiled tfjs LayersModel, one `trainOnBatch` step per batch (the measured cost
 * of a step is in the kernels, so this loop adds control, not overhead): seeded shuffling,
 * validation, callbacks, atomic checkpoints and exact resume. Tensors made here are
 * disposed every batch, so `tf.memory().numTensors` stays flat across epochs.
 *
 * @example
 * model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['acc'] });
 * const { history } = await fit(model, x, y, { epochs: 5, batchSize: 128, validationSplit: 0.1 });
 */
export async function fit(model: tf.LayersModel, x: Tensors, y: Tensors, options: FitOptions = {}): Promise<FitResult> {
  checkFitOptions(options);
  if (model.optimizer == null) throw new OptionError('The model must be compiled (model.compile({ optimizer, loss })) before fit');
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  let xs = toArray(x);
  let ys = toArray(y);
  const n = assertShapesMatch(xs, model.inputs, 'x');
  for (const t of ys) {
    if (t.shape[0] !== n) throw new ShapeError(`y must hold ${n} samples like x, got ${t.shape[0]}`);
  }
  if (options.checkData ?? true) {
    xs.forEach((t, i) => assertFinite(t, xs.length > 1 ? `Training data x[${i}]` : 'Training data x'));
    ys.forEach((t, i) => assertFinite(t, ys.length > 1 ? `Training data y[${i}]` : 'Training data y'));
  }

  const owned: tf.Tensor[] = [];
  let validation = options.validationData ? [toArray(options.validationData[0]), toArray(options.validationData[1])] : null;
  if (!validation && options.validationSplit) {
    const nVal = Math.floor(n * options.validationSplit);
    const cut = (t: tf.Tensor, from: number, size: number) => {
      const part = t.slice(from, size);
      owned.push(part);
      return part;
    };
    validation = [xs.map((t) => cut(t, n - nVal, nVal)), ys.map((t) => cut(t, n - nVal, nVal))];
    xs = xs.map((t) => cut(t, 0, n - nVal));
    ys = ys.map((t) => cut(t, 0, n - nVal));
  }
  const nTrain = xs[0].shape[0];
  const batchesPerEpoch = Math.ceil(nTrain / batchSize);

  const callbacks = [...(options.callbacks ?? [])];
  if (options.verbose === true || (options.verbose !== false && isInteractive())) callbacks.push(progressBar());

  const rng = new Rng(options.seed ?? 0);
  const history: Record<string, number[]> = {};
  let initialEpoch = 0;
  if (options.resume && options.checkpoint) {
    const ckpt = await loadLatestCheckpoint(options.checkpoint.dir);
    if (ckpt) {
      model.setWeights(ckpt.modelWeights);
      if (ckpt.optimizerWeights.length > 0) await model.optimizer.setWeights(ckpt.optimizerWeights);
      tf.dispose([...ckpt.modelWeights, ...ckpt.optimizerWeights.map((w) => w.tensor)]);
      const meta = ckpt.meta as { rngState: number; history: Record<string, number[]>; callbacks: unknown[] };
      rng.state = meta.rngState;
      Object.assign(history, meta.history);
      meta.callbacks.forEach((state, i) => state !== null && callbacks[i]?.setState?.(state));
      initialEpoch = ckpt.epoch;
    }
  }

  let stopRequested = false;
  const ctx: TrainContext = {
    model, epochs, batchesPerEpoch, initialEpoch,
    stop: () => { stopRequested = true; },
    get stopRequested() { return stopRequested; },
  };
  const names = model.metricsNames;
  const trained: number[] = [];
  const start = performance.now();

  try {
    await withSeed(rng, async () => {
      for (const cb of callbacks) await cb.onTrainBegin?.(ctx);
      for (let epoch = initialEpoch; epoch < epochs && !stopRequested; epoch++) {
        for (const cb of callbacks) await cb.onEpochBegin?.(epoch, ctx);
        const order = options.shuffle === false ? null : permutation(nTrain, rng);
        const sums = new Array<number>(names.length).fill(0);
        for (let b = 0; b < batchesPerEpoch; b++) {
          const from = b * batchSize;
          const size = Math.min(batchSize, nTrain - from);
          const [xb, yb] = takeBatch(xs, ys, order, from, size);
          const values = toArray(await model.trainOnBatch(xb, yb) as never) as unknown as number[];
          tf.dispose([...xb, ...yb]);
          const batchLogs: Logs = {};
          values.forEach((v, i) => {
            sums[i] += v * size;
            batchLogs[names[i]] = sums[i] / (from + size);
          });
          for (const cb of callbacks) await cb.onBatchEnd?.(b, batchLogs, ctx);
        }
        const logs: Logs = {};
        names.forEach((name, i) => { logs[name] = sums[i] / nTrain; });
        if (validation) Object.assign(logs, evaluateLogs(model, validation[0], validation[1], batchSize, names));
        for (const cb of callbacks) await cb.onEpochEnd?.(epoch, logs, ctx);
        for (const [k, v] of Object.entries(logs)) (history[k] ??= []).push(v);
        trained.push(epoch);
        const every = options.checkpoint?.every ?? 1;
        if (options.checkpoint && ((epoch + 1) % every === 0 || epoch + 1 === epochs)) {
          await saveCheckpoint(options.checkpoint.dir, {
            epoch: epoch + 1,
            modelWeights: model.getWeights(),
            optimizerWeights: await model.optimizer.getWeights(),
            meta: { rngState: rng.state, history, callbacks: callbacks.map((cb) => cb.getState?.() ?? null) },
          }, options.checkpoint.keep ?? 2);
        }
      }
      for (const cb of callbacks) await cb.onTrainEnd?.(ctx);
    });
  } finally {
    tf.dispose(owned);
  }
  const trainSeconds = (performance.now() - start) / 1000;
  return {
    epochs: trained,
    history,
    stoppedEarly: stopRequested,
    trainSeconds,
    samplesPerSecond: trainSeconds > 0 ? (trained.length * nTrain) / trainSeconds : 0,
  };
}

function takeBatch(xs: tf.Tensor[], ys: tf.Tensor[], order: Int32Array | null, from: number, size: number): [tf.Tensor[], tf.Tensor[]] {
  if (order === null) {
    return [xs.map((t) => t.slice(from, size)), ys.map((t) => t.slice(from, size))];
  }
  return tf.tidy(() => {
    const idx = tf.tensor1d(order.subarray(from, from + size), 'int32');
    return [xs.map((t) => tf.gather(t, idx)), ys.map((t) => tf.gather(t, idx))];
  });
}

function evaluateLogs(model: tf.LayersModel, xv: tf.Tensor[], yv: tf.Tensor[], batchSize: number, names: string[]): Logs {
  const result = model.evaluate(xv.length === 1 ? xv[0] : xv, yv.length === 1 ? yv[0] : yv, { batchSize });
  const scalars = toArray(result as Tensors);
  const logs: Logs = {};
  scalars.forEach((s, i) => { logs[`val_${names[i]}`] = s.dataSync()[0]; });
  tf.dispose(scalars);
  return logs;
}
