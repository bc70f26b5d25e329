/**
 * The epoch loop of custom training (batches of varying shape, custom losses): seeded batch
 * order, a learning rate per step or epoch from a {@link Schedule} that also anneals over a time
 * budget, atomic checkpoints after every epoch with exact resume, and progress on a terminal.
 * The step itself (a `trainOnBatch`, or {@link gradientStep} on variables) is the caller's.
 */
import { OptionError } from '../errors.js';
import { restoreTrainingState, saveTrainingState, type WeightHolder } from '../io/checkpoint.js';
import { Rng, withSeed } from '../random.js';
import type { tf } from '../tf.js';
import type { TrainContext } from './callbacks.js';
import { isInteractive, progressBar } from './progress.js';
import { type Schedule, setLearningRate } from './schedules.js';

/** What one step reports: its metrics (means over the batch) and how much the batch weighs. */
export interface StepResult {
  /** Metrics of the batch, e.g. `{ loss }`; an epoch's value is their mean weighted by `weight`. */
  metrics: Record<string, number>;
  /** Weight of the batch in the epoch's means (examples, or tokens; default `samples`). */
  weight?: number;
  /** Examples in the batch, for samples per second. */
  samples: number;
}

/** How {@link trainEpochs} sets the optimizer's learning rate. */
export interface LearningRatePlan {
  /** Base rate the schedule scales (its `initialRate`). */
  rate: number;
  /** Rate as a function of the position (steps or epochs done) and `rate`. */
  schedule: Schedule;
  /** Unit of the position, and how often the rate is set: every 'step' (default) or 'epoch'. */
  per?: 'step' | 'epoch';
  /**
   * What the position follows when `maxSeconds` is set: 'count' (steps or epochs done;
   * reproducible), 'time' (the fraction of `maxSeconds` trained, as steps or epochs), or
   * 'first' (default: the further of the two, so a run anneals by whichever ends first).
   */
  follow?: 'count' | 'time' | 'first';
}

/** Options of {@link trainEpochs}. */
export interface EpochLoopOptions<Batch> {
  epochs: number;
  /** The batches of one epoch, drawn from the loop's seeded `rng` (called once per epoch). */
  batches: (rng: Rng) => Iterable<Batch>;
  /** Batches per epoch (the schedule's length is `epochs` × this). */
  stepsPerEpoch: number;
  /** One optimizer step on `batch`. */
  step: (batch: Batch) => StepResult | Promise<StepResult>;
  /** What checkpoints save and resume restores: the model's weights, and the optimizer's slots. */
  weights: WeightHolder;
  optimizer: tf.Optimizer;
  /** Seed of the batch order (default 0). */
  seed?: number;
  /** Learning rate schedule (default: the optimizer's rate, untouched). */
  learningRate?: LearningRatePlan;
  /** Stop after the step that passes this many seconds of training (default: no limit). */
  maxSeconds?: number;
  /** Seconds as the budget and the reports count them (default wall-clock `performance.now() / 1000`). */
  clock?: () => number;
  /** Also seeds tfjs's random ops (dropout, which call `Math.random`) from the loop's RNG. */
  seedRandomOps?: boolean;
  /** Writes an atomic checkpoint (weights, optimizer slots, RNG, history, seconds) after every full epoch. */
  checkpointDir?: string;
  /** Continues from the newest checkpoint in `checkpointDir` (a fresh run when there is none). */
  resume?: boolean;
  /** After every epoch (after its checkpoint) with its mean metrics; time spent here is not counted. */
  onEpoch?: (epoch: number, metrics: Record<string, number>, seconds: number) => void | Promise<void>;
  /** After every step with the step count of this call; time spent here is not counted. */
  onStep?: (step: number, metrics: Record<string, number>, seconds: number) => void | Promise<void>;
  /** A progress bar on stderr: true, false (default), or 'auto' (on a terminal, not in CI). */
  verbose?: boolean | 'auto';
}

/** What {@link trainEpochs} returns. */
export interface EpochLoopResult {
  /** Every metric's mean per epoch, resumed epochs included. */
  history: Record<string, number[]>;
  /** Epochs trained in this call (0-based). */
  epochs: number[];
  /** Steps taken in this call. */
  steps: number;
  /** Epochs done before this call (from a checkpoint), 0 for a fresh run. */
  resumedEpochs: number;
  /** Seconds of training, resumed runs included (time in callbacks excluded). */
  trainSeconds: number;
  /** Examples per second of this call. */
  samplesPerSecond: number;
  /** True when `maxSeconds` ended training before `epochs`. */
  stoppedEarly: boolean;
}

interface LoopMeta {
  rngState: number;
  history?: Record<string, number[]>;
  /** Checkpoints written before this loop existed held the losses only. */
  losses?: number[];
  seconds: number;
}

function checkLoopOptions(options: EpochLoopOptions<unknown>): void {
  if (!(Number.isInteger(options.epochs) && options.epochs > 0)) throw new OptionError(`epochs must be a positive integer, got ${options.epochs}`);
  if (options.resume && !options.checkpointDir) throw new OptionError('resume needs checkpointDir to resume from');
  const follow = options.learningRate?.follow;
  if (follow === 'time' && !(Number.isFinite(options.maxSeconds) && (options.maxSeconds as number) > 0)) {
    throw new OptionError(`a learning rate that follows 'time' needs a positive maxSeconds, got ${options.maxSeconds}`);
  }
}

/**
 * Runs the epochs of a custom training loop; see the module comment. The step and the batches
 * own their tensors; the loop makes none, so `tf.memory().numTensors` stays flat across epochs
 * when the step disposes what it makes.
 *
 * @example
 * const { history } = await trainEpochs({
 *   epochs: 10, stepsPerEpoch: batches.length, weights: variableWeights(vars), optimizer,
 *   batches: (rng) => shuffled(batches, rng),
 *   step: (batch) => ({ metrics: { loss: gradientStep(optimizer, vars, () => lossOf(batch), 5) }, samples: batch.length }),
 *   learningRate: { rate: 2e-3, schedule: cosineDecay(10 * batches.length, 0.05) },
 * });
 */
export async function trainEpochs<Batch>(options: EpochLoopOptions<Batch>): Promise<EpochLoopResult> {
  checkLoopOptions(options as EpochLoopOptions<unknown>);
  const { epochs, stepsPerEpoch, optimizer, maxSeconds = Infinity, learningRate: plan } = options;
  const rng = new Rng(options.seed ?? 0);
  const history: Record<string, number[]> = {};
  let first = 0;
  let resumedSeconds = 0;
  if (options.resume && options.checkpointDir) {
    const restored = await restoreTrainingState(options.checkpointDir, options.weights, optimizer);
    if (restored) {
      const meta = restored.meta as unknown as LoopMeta;
      first = restored.epoch;
      rng.state = meta.rngState;
      Object.assign(history, meta.history ?? { loss: meta.losses ?? [] });
      resumedSeconds = meta.seconds;
    }
  }
  // Seconds count from the first run, so a resumed run keeps its schedule and budget.
  const clock = options.clock ?? (() => performance.now() / 1000);
  let started = clock() - resumedSeconds;
  const seconds = () => clock() - started;
  /** Runs a callback without counting its time. */
  const uncounted = async (fn: () => void | Promise<void>) => {
    const paused = clock();
    await fn();
    started += clock() - paused;
  };
  const setRate = (done: number, total: number) => {
    if (!plan) return;
    const byTime = total * Math.min(1, seconds() / maxSeconds);
    const follow = plan.follow ?? 'first';
    const at = follow === 'count' ? done : follow === 'time' ? byTime : Math.max(done, byTime);
    setLearningRate(optimizer, plan.schedule(at, plan.rate));
  };
  const verbose = options.verbose === true || (options.verbose === 'auto' && isInteractive());
  const bar = verbose ? progressBar() : undefined;
  const ctx = { epochs, batchesPerEpoch: stepsPerEpoch, initialEpoch: first } as TrainContext;

  const trained: number[] = [];
  let seen = 0;
  let steps = 0;
  let step = first * stepsPerEpoch;
  let stoppedEarly = false;
  const run = async () => {
    for (let epoch = first; epoch < epochs && !stoppedEarly; epoch++) {
      if (plan?.per === 'epoch') setRate(epoch, epochs);
      bar?.onEpochBegin?.(epoch, ctx);
      const sums: Record<string, number> = {};
      let weight = 0;
      let batchIndex = 0;
      for (const batch of options.batches(rng)) {
        if (plan && plan.per !== 'epoch') setRate(step, epochs * stepsPerEpoch);
        const result = await options.step(batch);
        const w = result.weight ?? result.samples;
        for (const [k, v] of Object.entries(result.metrics)) sums[k] = (sums[k] ?? 0) + v * w;
        weight += w;
        seen += result.samples;
        step++;
        steps++;
        const onStep = options.onStep;
        if (onStep) await uncounted(() => onStep(steps, result.metrics, seconds()));
        if (bar) await uncounted(() => bar.onBatchEnd?.(batchIndex, result.metrics, ctx));
        batchIndex++;
        if (seconds() > maxSeconds) {
          stoppedEarly = true;
          break;
        }
      }
      const means = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / weight]));
      for (const [k, v] of Object.entries(means)) (history[k] ??= []).push(v);
      trained.push(epoch);
      if (options.checkpointDir && !stoppedEarly) {
        const meta: LoopMeta = { rngState: rng.state, history, seconds: seconds() };
        await saveTrainingState(options.checkpointDir, epoch + 1, options.weights, optimizer, meta as unknown as Record<string, unknown>);
      }
      if (bar) await uncounted(() => bar.onEpochEnd?.(epoch, means, ctx));
      const onEpoch = options.onEpoch;
      if (onEpoch) await uncounted(() => onEpoch(epoch, means, seconds()));
    }
  };
  await (options.seedRandomOps ? withSeed(rng, run) : run());
  const trainSeconds = seconds();
  return { history, epochs: trained, steps, resumedEpochs: first, trainSeconds, samplesPerSecond: seen / Math.max(trainSeconds - resumedSeconds, 1e-9), stoppedEarly };
}
