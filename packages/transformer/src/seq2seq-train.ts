/**
 * Teacher-forced training of an encoder-decoder transformer on (source, target) id pairs.
 * Batches hold sources of one length (bucketing) and targets padded to the longest in the batch,
 * so a step computes no padding positions it can avoid (CMUdict words average 7.5 letters; padding
 * everything to 20 would triple the work). The step is {@link trainSequenceModel}'s: label-smoothed
 * cross-entropy ignoring padding, Adam clipped by global norm, warm-up + cosine over steps; core's
 * atomic checkpoints hold weights, Adam slots, the RNG and the history, so `resume` continues exactly.
 */
import { lengthBatches, OptionError, Rng, restoreTrainingState, saveTrainingState, teacherForcing, tf, withSeed } from '@neurozoo/core';
import { BOS, EOS, PAD } from '@neurozoo/core/runtime';
import { lossModel, meanOfOutput } from './gpt.js';
import { ClippedAdam } from './train.js';

/** One training pair: source ids and target ids (without BOS and EOS). */
export interface Seq2SeqExample {
  source: Int32Array;
  target: readonly number[];
}

/** Options of {@link trainSeq2Seq}. */
export interface Seq2SeqTrainOptions {
  epochs: number;
  /** Pairs per step (default 64). */
  batchSize?: number;
  /** Peak learning rate (default 1e-3). */
  learningRate?: number;
  /** Warm-up steps (default 4% of all steps; with schedule 'time', the first 4% of `maxSeconds`). */
  warmupSteps?: number;
  /** Global gradient norm limit (default 1; 0 = no clipping). */
  clipNorm?: number;
  /** Label smoothing ε (default 0.1). */
  labelSmoothing?: number;
  /** Seed of batch order and dropout (default 0). */
  seed?: number;
  /** Stop after the step that passes this many seconds of training (default: no limit). */
  maxSeconds?: number;
  /**
   * What the cosine decay follows: 'steps' (default; `epochs` × batches, reproducible) or 'time':
   * the fraction of `maxSeconds` trained, so a time-budgeted run ends its schedule when the budget
   * ends however loaded the machine is (the weights then depend on the machine's speed).
   */
  schedule?: 'steps' | 'time';
  /**
   * Seconds as `maxSeconds`, the 'time' schedule and the reports count them (default: wall-clock,
   * `performance.now() / 1000`). On a shared machine, the process's CPU seconds
   * (`process.cpuUsage()`) make a budget mean the same work however loaded the machine is.
   */
  clock?: () => number;
  /** Write a checkpoint after every epoch here. */
  checkpointDir?: string;
  /** Continue from the newest checkpoint in `checkpointDir`. */
  resume?: boolean;
  /** Called after every epoch with its mean training loss and the seconds trained so far. */
  onEpoch?: (epoch: number, loss: number, seconds: number) => void | Promise<void>;
  /** Called after every step with the step count, the batch loss and the seconds trained so far (time spent here is not counted). */
  onStep?: (step: number, loss: number, seconds: number) => void | Promise<void>;
}

/** What {@link trainSeq2Seq} returns. */
export interface Seq2SeqTrainResult {
  /** Mean training loss of every epoch (resumed epochs included). */
  losses: number[];
  /** Epochs trained in this call (0-based). */
  epochs: number[];
  /** Seconds of training, resumed runs included (time in `onStep`/`onEpoch` excluded). */
  trainSeconds: number;
  samplesPerSecond: number;
  /** True when `maxSeconds` ended training before `epochs`. */
  stoppedEarly: boolean;
  /** Steps taken in this call. */
  steps: number;
}

/** Same-source-length batches in a seeded random order. */
export function bucketBatches(examples: readonly Seq2SeqExample[], batchSize: number, rng: Rng): Seq2SeqExample[][] {
  return lengthBatches(examples.map((e) => e.source.length), batchSize, rng).map((batch) => batch.map((k) => examples[k]));
}

/** Teacher-forcing tensors of a batch: source [B, S], decoder input [BOS, t...] and target [t..., EOS] [B, T], padded with 0. */
export function seq2seqBatch(batch: readonly Seq2SeqExample[]): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
  const { source, input, target, B, S, T } = teacherForcing(batch, { start: BOS, end: EOS, pad: PAD });
  return [tf.tensor2d(source, [B, S]), tf.tensor2d(input, [B, T], 'float32'), tf.tensor2d(target, [B, T], 'float32')];
}

function checkExamples(examples: readonly Seq2SeqExample[], options: Seq2SeqTrainOptions): void {
  if (examples.length === 0) throw new OptionError('trainSeq2Seq needs at least one example');
  if (!(Number.isInteger(options.epochs) && options.epochs > 0)) throw new OptionError(`epochs must be a positive integer, got ${options.epochs}`);
  const bs = options.batchSize ?? 64;
  if (!(Number.isInteger(bs) && bs > 0)) throw new OptionError(`batchSize must be a positive integer, got ${bs}`);
  if (options.resume && !options.checkpointDir) throw new OptionError('resume needs checkpointDir to resume from');
  if (options.schedule === 'time' && !(Number.isFinite(options.maxSeconds) && (options.maxSeconds as number) > 0)) {
    throw new OptionError(`schedule 'time' needs a positive maxSeconds, got ${options.maxSeconds}`);
  }
  const empty = examples.findIndex((e) => e.source.length === 0);
  if (empty >= 0) throw new OptionError(`example ${empty} has an empty source`);
}

/**
 * Trains `model` (inputs [source, decoder input] -> logits, e.g. {@link buildSeq2SeqTransformer})
 * with teacher forcing on `examples`; see the module comment.
 */
export async function trainSeq2Seq(model: tf.LayersModel, examples: readonly Seq2SeqExample[], options: Seq2SeqTrainOptions): Promise<Seq2SeqTrainResult> {
  checkExamples(examples, options);
  const { epochs, batchSize = 64, maxSeconds = Infinity } = options;
  const rng = new Rng(options.seed ?? 0);
  const perEpoch = bucketBatches(examples, batchSize, new Rng(0)).length;
  const totalSteps = epochs * perEpoch;
  const warmupSteps = options.warmupSteps ?? Math.ceil(totalSteps * 0.04);
  let trainedSeconds = 0;
  // 'time': warm-up over `warmupSteps` when given, else over the first 4% of the budget; then cosine over the budget.
  const byTime = (step: number, rate: number) => {
    const f = Math.min(1, trainedSeconds / maxSeconds);
    if (options.warmupSteps !== undefined ? step < warmupSteps : f < 0.04) {
      return options.warmupSteps !== undefined ? (rate * (step + 1)) / warmupSteps : rate * Math.max(f / 0.04, 0.01);
    }
    return 0.5 * rate * (1 + Math.cos(Math.PI * f));
  };
  const optimizer = new ClippedAdam(options.learningRate ?? 1e-3, options.clipNorm ?? 1, options.schedule === 'time' ? byTime : { totalSteps, warmupSteps });
  const trainer = lossModel(model, { labelSmoothing: options.labelSmoothing ?? 0.1, ignoreId: PAD });
  trainer.compile({ optimizer, loss: meanOfOutput });
  const losses: number[] = [];
  let first = 0;
  let resumedSeconds = 0;
  if (options.resume && options.checkpointDir) {
    const restored = await restoreTrainingState(options.checkpointDir, trainer, optimizer);
    if (restored) {
      const meta = restored.meta as { rngState: number; losses: number[]; seconds: number };
      rng.state = meta.rngState;
      losses.push(...meta.losses);
      resumedSeconds = meta.seconds;
      first = restored.epoch;
    }
  }
  // Seconds count from the first run, so a resumed time-scheduled run continues its schedule and budget.
  const clock = options.clock ?? (() => performance.now() / 1000);
  let started = clock() - resumedSeconds;
  const seconds = () => clock() - started;
  const trained: number[] = [];
  let seen = 0;
  let steps = 0;
  let stoppedEarly = false;
  await withSeed(rng, async () => {
    for (let epoch = first; epoch < epochs && !stoppedEarly; epoch++) {
      let sum = 0;
      let n = 0;
      for (const batch of bucketBatches(examples, batchSize, rng)) {
        const [src, input, target] = seq2seqBatch(batch);
        const dummy = tf.zeros([batch.length, 1]);
        const loss = (await trainer.trainOnBatch([src, input, target], dummy)) as number;
        tf.dispose([src, input, target, dummy]);
        sum += loss * batch.length;
        n += batch.length;
        steps++;
        trainedSeconds = seconds();
        if (options.onStep) {
          const paused = clock();
          await options.onStep(steps, loss, trainedSeconds);
          started += clock() - paused;
        }
        if (trainedSeconds > maxSeconds) {
          stoppedEarly = true;
          break;
        }
      }
      seen += n;
      losses.push(sum / n);
      trained.push(epoch);
      if (options.checkpointDir && !stoppedEarly) {
        await saveTrainingState(options.checkpointDir, epoch + 1, trainer, optimizer, { rngState: rng.state, losses, seconds: seconds() });
      }
      const paused = clock();
      await options.onEpoch?.(epoch, sum / n, seconds());
      started += clock() - paused;
    }
  });
  const trainSeconds = seconds();
  const thisRun = trainSeconds - resumedSeconds;
  return { losses, epochs: trained, trainSeconds, samplesPerSecond: seen / Math.max(thisRun, 1e-9), stoppedEarly, steps };
}
