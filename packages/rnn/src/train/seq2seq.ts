/**
 * Teacher-forced training of {@link Seq2Seq}, and saving/loading a trained model. Batches hold
 * sources of one length (bucketing), so neither the encoder nor the attention ever sees
 * padding; targets are padded and masked in the loss.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cosineDecay, gradientStep, loadModel, OptionError, Rng, saveModel, sourceLengthBatches, teacherForcing, tf, trainEpochs, variableWeights, writeFileAtomic } from '@neurozoo/core';
import { BOS, EOS, type Seq2SeqVocab } from '@neurozoo/core/runtime';
import { DECODER_WEIGHTS, type DecoderWeightName, Seq2Seq } from '../builders/seq2seq.js';

/** One training pair: source ids and target ids (without BOS and EOS). */
export interface Seq2SeqExample {
  source: Int32Array;
  target: readonly number[];
}

/** Options of {@link fitSeq2Seq}. */
export interface Seq2SeqFitOptions {
  epochs: number;
  /** Pairs per step (default 64). */
  batchSize?: number;
  /**
   * Adam step size (default 2e-3), decayed by cosine to 5% of it at every step, over the epochs
   * or over `maxSeconds` when that budget runs out first (so a time-boxed run still anneals).
   */
  learningRate?: number;
  /** Gradient global-norm clip (default 5). */
  clipNorm?: number;
  /** Seed of the batch order (default 0). */
  seed?: number;
  /** Stop early after this many seconds of training (checked after each step). */
  maxSeconds?: number;
  /** Called after every epoch (its time is not counted in `maxSeconds` or the reported seconds). */
  onEpoch?: (epoch: number, loss: number, seconds: number) => void | Promise<void>;
  /** Writes an atomic checkpoint (weights, Adam slots, RNG, losses, seconds) after every epoch. */
  checkpointDir?: string;
  /** Continues from the newest checkpoint in `checkpointDir` (a fresh run when there is none). */
  resume?: boolean;
}

/** What {@link fitSeq2Seq} returns. */
export interface Seq2SeqFitResult {
  losses: number[];
  trainSeconds: number;
  samplesPerSecond: number;
  stoppedEarly: boolean;
  /** One-symbol sources left out of training (see {@link fitSeq2Seq}). */
  skipped: number;
  /** Epochs done before this call (from a checkpoint), 0 for a fresh run. */
  resumedEpochs: number;
}

/** Tensors of one batch: source [B, S], decoder input, target and mask [B, T]. */
function batchTensors(batch: readonly Seq2SeqExample[]) {
  const { source, input, target, mask, B, S, T } = teacherForcing(batch, { start: BOS, end: EOS, pad: 0 });
  return [tf.tensor2d(source, [B, S]), tf.tensor2d(input, [B, T], 'int32'), tf.tensor2d(target, [B, T], 'int32'), tf.tensor2d(mask, [B, T])] as const;
}

/**
 * Trains `model` with Adam on teacher-forced batches (core's `trainEpochs`); returns the mean loss of every epoch.
 * Sources of one symbol (CMUdict's letter names, "a", "b", ...) are left out of training and
 * counted in `skipped`: tfjs 4.22's recurrent gradient fails on a one-step sequence (its
 * backward `stack` gets no array). They are still pronounced at inference.
 */
export async function fitSeq2Seq(model: Seq2Seq, allExamples: readonly Seq2SeqExample[], options: Seq2SeqFitOptions): Promise<Seq2SeqFitResult> {
  const { epochs, batchSize = 64, learningRate = 2e-3, clipNorm = 5, seed = 0, maxSeconds = Infinity } = options;
  const examples = allExamples.filter((e) => e.source.length > 1);
  if (examples.length === 0) throw new OptionError(`fitSeq2Seq needs at least one example with a source of 2 or more symbols; got ${allExamples.length} example(s)`);
  if (options.resume && !options.checkpointDir) throw new OptionError('resume needs checkpointDir to resume from');
  const optimizer = tf.train.adam(learningRate);
  const vars = model.variables;
  const perEpoch = sourceLengthBatches(examples, batchSize, new Rng(0)).length;
  const onEpoch = options.onEpoch;
  try {
    const run = await trainEpochs({
      epochs,
      seed,
      maxSeconds,
      stepsPerEpoch: perEpoch,
      batches: (rng) => sourceLengthBatches(examples, batchSize, rng),
      step: (batch) => {
        const tensors = batchTensors(batch);
        const loss = gradientStep(optimizer, vars, () => model.loss(...tensors), clipNorm);
        tf.dispose([...tensors]);
        return { metrics: { loss }, samples: batch.length };
      },
      weights: variableWeights(vars),
      optimizer,
      learningRate: { rate: learningRate, schedule: cosineDecay(epochs * perEpoch, 0.05) },
      checkpointDir: options.checkpointDir,
      resume: options.resume,
      onEpoch: onEpoch && ((epoch, { loss }, seconds) => onEpoch(epoch, loss, seconds)),
    });
    const { history, trainSeconds, samplesPerSecond, stoppedEarly, resumedEpochs } = run;
    return { losses: history.loss, trainSeconds, samplesPerSecond, stoppedEarly, skipped: allExamples.length - examples.length, resumedEpochs };
  } finally {
    optimizer.dispose();
  }
}

/** The decoder's weights as files: `decoder.bin` (float32, in {@link DECODER_WEIGHTS} order) and `decoder.json` (order and shapes). */
export function decoderWeightFiles(model: Seq2Seq): { 'decoder.bin': Uint8Array; 'decoder.json': string } {
  const shapes: Record<string, number[]> = {};
  const parts = DECODER_WEIGHTS.map((k) => {
    shapes[k] = model.decoder[k].shape;
    return model.decoder[k].dataSync() as Float32Array;
  });
  const bin = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bin.set(p, at);
    at += p.length;
  }
  return { 'decoder.bin': new Uint8Array(bin.buffer), 'decoder.json': `${JSON.stringify({ order: DECODER_WEIGHTS, shapes })}\n` };
}

/** Saves `model` to `dir`: `encoder/` (tfjs model.json + weights.bin), `decoder.bin` + `decoder.json`, `vocab.json`. */
export async function saveSeq2Seq(model: Seq2Seq, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await saveModel(model.encoder, join(dir, 'encoder'));
  for (const [name, data] of Object.entries(decoderWeightFiles(model))) await writeFileAtomic(join(dir, name), data);
  await writeFileAtomic(join(dir, 'vocab.json'), `${JSON.stringify(model.vocab)}\n`);
}

/**
 * Loads a model that {@link saveSeq2Seq} wrote, or the folder `neurozoo train seq2seq` wrote
 * with `{ encoderDir: join(dir, 'tfjs') }`.
 */
export async function loadSeq2Seq(dir: string, options: { encoderDir?: string } = {}): Promise<Seq2Seq> {
  const vocab = JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8')) as Seq2SeqVocab;
  const { shapes } = JSON.parse(readFileSync(join(dir, 'decoder.json'), 'utf8')) as { shapes: Record<DecoderWeightName, number[]> };
  const raw = readFileSync(join(dir, 'decoder.bin'));
  const data = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  let at = 0;
  const weights = Object.fromEntries(
    DECODER_WEIGHTS.map((k) => {
      const size = shapes[k].reduce((a, b) => a * b, 1);
      const t = tf.tensor(data.subarray(at, at + size), shapes[k]);
      at += size;
      return [k, t];
    }),
  ) as Record<DecoderWeightName, tf.Tensor>;
  const encoder = await loadModel(options.encoderDir ?? join(dir, 'encoder'));
  return Seq2Seq.fromWeights(vocab, encoder, weights);
}
