/**
 * Training and scoring a {@link sequenceTagger} on sentences of different lengths. Batches hold
 * sentences of one length (bucketing), so the model never sees padding: the bidirectional
 * layer's backward pass starts at the real last word, and no loss mask is needed.
 */
import { cosineDecay, type FitResult, lengthBatches, OptionError, Rng, tf, trainEpochs } from '@neurozoo/core';

/** One sentence as model ids: word ids and 0-based tag ids (output classes), of equal length. */
export interface TaggedIds {
  words: Int32Array;
  tags: Int32Array;
}

/** Options of {@link fitTagger}. */
export interface TaggerFitOptions {
  epochs: number;
  /** Sentences per step (default 32). */
  batchSize?: number;
  /** Seed of the batch order (default 0). */
  seed?: number;
  /** Adam step size at the start (default 2e-3), decayed by cosine to 10% over the epochs. */
  learningRate?: number;
  /** Called after every epoch with its mean loss and token accuracy (teacher batches, training mode). */
  onEpoch?: (epoch: number, logs: { loss: number; acc: number }, seconds: number) => void | Promise<void>;
  /** Writes an atomic checkpoint (weights, optimizer slots, RNG, history, seconds) after every epoch. */
  checkpointDir?: string;
  /** Continues from the newest checkpoint in `checkpointDir` (a fresh run when there is none). */
  resume?: boolean;
}


function batchTensors(sentences: readonly TaggedIds[], batch: readonly number[]): [tf.Tensor2D, tf.Tensor3D] {
  const T = sentences[batch[0]].words.length;
  const x = new Float32Array(batch.length * T);
  const y = new Float32Array(batch.length * T);
  batch.forEach((k, b) => {
    x.set(sentences[k].words, b * T);
    y.set(sentences[k].tags, b * T);
  });
  return [tf.tensor2d(x, [batch.length, T]), tf.tensor3d(y, [batch.length, T, 1])];
}

/**
 * Trains a compiled tagger (sparse categorical cross-entropy on [batch, steps] ids) with
 * same-length batches (core's `trainEpochs` runs the epochs); returns the history like core's
 * `fit` (loss and acc per epoch; samples/s counts sentences). One-word sentences are left out of training: tfjs 4.22's
 * recurrent gradient fails on a single time step (prediction handles them).
 */
export async function fitTagger(model: tf.LayersModel, sentences: readonly TaggedIds[], options: TaggerFitOptions): Promise<FitResult> {
  const { epochs, batchSize = 32, seed = 0, learningRate = 2e-3 } = options;
  if (sentences.length === 0) throw new OptionError('fitTagger needs at least one sentence');
  if (!(Number.isInteger(epochs) && epochs > 0)) throw new OptionError(`epochs must be a positive integer, got ${epochs}`);
  const empty = sentences.findIndex((s) => s.words.length === 0 || s.words.length !== s.tags.length);
  if (empty >= 0) throw new OptionError(`sentence ${empty} has ${sentences[empty].words.length} words and ${sentences[empty].tags.length} tags; each needs at least one word and one tag per word`);
  const trainable = sentences.filter((s) => s.words.length >= 2);
  if (trainable.length === 0) throw new OptionError('fitTagger needs at least one sentence of two or more words');
  if (options.resume && !options.checkpointDir) throw new OptionError('resume needs checkpointDir to resume from');
  const lengths = trainable.map((s) => s.words.length);
  const onEpoch = options.onEpoch;
  const run = await trainEpochs({
    epochs,
    seed,
    stepsPerEpoch: lengthBatches(lengths, batchSize, new Rng(0)).length,
    batches: (rng) => lengthBatches(lengths, batchSize, rng),
    step: async (batch) => {
      const [x, y] = batchTensors(trainable, batch);
      const [loss, acc] = (await model.trainOnBatch(x, y)) as number[];
      tf.dispose([x, y]);
      return { metrics: { loss, acc }, weight: batch.length * x.shape[1], samples: batch.length };
    },
    weights: model,
    optimizer: model.optimizer,
    learningRate: { rate: learningRate, schedule: cosineDecay(epochs, 0.1), per: 'epoch' },
    checkpointDir: options.checkpointDir,
    resume: options.resume,
    onEpoch: onEpoch && ((epoch, { loss, acc }, seconds) => onEpoch(epoch, { loss, acc }, seconds)),
  });
  const { epochs: trained, history, stoppedEarly, trainSeconds, samplesPerSecond } = run;
  return { epochs: trained, history, stoppedEarly, trainSeconds, samplesPerSecond };
}

/** Predicted tag ids of every sentence (same-length batches of at most `batch` sentences). */
export function predictTags(model: tf.LayersModel, sentences: readonly TaggedIds[], batch = 256): Int32Array[] {
  const out: Int32Array[] = new Array(sentences.length);
  const byLength = new Map<number, number[]>();
  sentences.forEach((s, i) => byLength.set(s.words.length, [...(byLength.get(s.words.length) ?? []), i]));
  for (const [T, idx] of byLength) {
    for (let from = 0; from < idx.length; from += batch) {
      const part = idx.slice(from, from + batch);
      const x = new Float32Array(part.length * T);
      part.forEach((k, b) => x.set(sentences[k].words, b * T));
      const pred = tf.tidy(() => (model.predict(tf.tensor2d(x, [part.length, T])) as tf.Tensor).argMax(-1));
      const ids = pred.dataSync() as Int32Array;
      pred.dispose();
      part.forEach((k, b) => (out[k] = ids.slice(b * T, (b + 1) * T)));
    }
  }
  return out;
}

/** Token accuracy of predicted tag ids against the sentences' tags. */
export function tagAccuracy(sentences: readonly TaggedIds[], predicted: readonly Int32Array[]): number {
  let correct = 0;
  let total = 0;
  sentences.forEach((s, i) => {
    for (let t = 0; t < s.tags.length; t++) if (predicted[i][t] === s.tags[t]) correct++;
    total += s.tags.length;
  });
  return correct / total;
}
