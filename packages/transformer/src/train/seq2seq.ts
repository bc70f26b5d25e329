/**
 * Teacher-forced training of an encoder-decoder transformer on (source, target) id pairs.
 * Batches hold sources of one length (bucketing) and targets padded to the longest in the batch,
 * so a step computes no padding positions it can avoid (CMUdict words average 7.5 letters; padding
 * everything to 20 would triple the work). The step is {@link trainSequenceModel}'s: label-smoothed
 * cross-entropy ignoring padding, Adam clipped by global norm, warm-up + cosine over steps. Core's
 * `trainEpochs` runs the epochs; its atomic checkpoints hold weights, Adam slots, the RNG and the
 * history, so `resume` continues exactly.
 */
import { OptionError, Rng, type Schedule, sourceLengthBatches, teacherForcing, tf, trainEpochs, warmupCosine } from '@neurozoo/core';
import { BOS, EOS, PAD } from '@neurozoo/core/runtime';
import { lossModel, meanOfOutput } from '../builders/gpt.js';
import { ClippedAdam } from './gpt.js';

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
  /**
   * Warm-up steps (default 4% of all steps). With schedule 'time' they count the budget's position
   * in steps (all steps × the fraction of `maxSeconds` trained); without them, the first 4% of `maxSeconds`.
   */
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

/** Teacher-forcing tensors of a batch: source [B, S], decoder input [BOS, t...] and target [t..., EOS] [B, T], padded with 0. */
function seq2seqBatch(batch: readonly Seq2SeqExample[]): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
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
  const perEpoch = sourceLengthBatches(examples, batchSize, new Rng(0)).length;
  const totalSteps = epochs * perEpoch;
  const warmupSteps = options.warmupSteps ?? Math.ceil(totalSteps * 0.04);
  const byTime = options.schedule === 'time';
  const optimizer = new ClippedAdam(options.learningRate ?? 1e-3, options.clipNorm ?? 1);
  const trainer = lossModel(model, { labelSmoothing: options.labelSmoothing ?? 0.1, ignoreId: PAD });
  trainer.compile({ optimizer, loss: meanOfOutput });
  const onEpoch = options.onEpoch;
  const onStep = options.onStep;
  const run = await trainEpochs({
    epochs,
    seed: options.seed ?? 0,
    maxSeconds,
    clock: options.clock,
    seedRandomOps: true,
    stepsPerEpoch: perEpoch,
    batches: (rng) => sourceLengthBatches(examples, batchSize, rng),
    step: async (batch) => {
      const [src, input, target] = seq2seqBatch(batch);
      const dummy = tf.zeros([batch.length, 1]);
      const loss = (await trainer.trainOnBatch([src, input, target], dummy)) as number;
      tf.dispose([src, input, target, dummy]);
      return { metrics: { loss }, samples: batch.length };
    },
    weights: trainer,
    optimizer,
    learningRate: {
      rate: optimizer.baseRate,
      schedule: byTime ? timeWarmupCosine(totalSteps, options.warmupSteps) : warmupCosine(totalSteps, warmupSteps),
      follow: byTime ? 'time' : 'count',
    },
    checkpointDir: options.checkpointDir,
    resume: options.resume,
    onEpoch: onEpoch && ((epoch, { loss }, seconds) => onEpoch(epoch, loss, seconds)),
    onStep: onStep && ((step, { loss }, seconds) => onStep(step, loss, seconds)),
  });
  const { history, epochs: trained, trainSeconds, samplesPerSecond, stoppedEarly, steps } = run;
  return { losses: history.loss, epochs: trained, trainSeconds, samplesPerSecond, stoppedEarly, steps };
}

/**
 * The 'time' schedule over the budget's position in steps (`totalSteps` × the fraction of
 * `maxSeconds` trained): warm-up over `warmupSteps` of that position when given, else over the
 * first 4% of the budget (from 1% of the rate); then cosine over the whole budget.
 */
function timeWarmupCosine(totalSteps: number, warmupSteps?: number): Schedule {
  return (at, rate) => {
    const fraction = at / totalSteps;
    if (warmupSteps !== undefined ? at < warmupSteps : fraction < 0.04) {
      return warmupSteps !== undefined ? (rate * (at + 1)) / warmupSteps : rate * Math.max(fraction / 0.04, 0.01);
    }
    return 0.5 * rate * (1 + Math.cos(Math.PI * fraction));
  };
}

