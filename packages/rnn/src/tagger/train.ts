/**
 * Training and scoring a {@link sequenceTagger} on sentences of different lengths. Batches hold
 * sentences of one length (bucketing), so the model never sees padding: the bidirectional
 * layer's backward pass starts at the real last word, and no loss mask is needed.
 */
import { type FitResult, lengthBatches, OptionError, Rng, restoreTrainingState, saveTrainingState, tf } from '@neurozoo/core';

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
 * same-length batches; returns the history like core's `fit` (loss and acc per epoch;
 * samples/s counts sentences). One-word sentences are left out of training: tfjs 4.22's
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
  const rng = new Rng(seed);
  const optimizer = model.optimizer as unknown as tf.Optimizer & { learningRate: number };
  const history: Record<string, number[]> = { loss: [], acc: [] };
  let first = 0;
  let resumedSeconds = 0;
  if (options.resume && options.checkpointDir) {
    const restored = await restoreTrainingState(options.checkpointDir, model, optimizer);
    if (restored) {
      const meta = restored.meta as { rngState: number; history: Record<string, number[]>; seconds: number };
      first = restored.epoch;
      rng.state = meta.rngState;
      history.loss.push(...meta.history.loss);
      history.acc.push(...meta.history.acc);
      resumedSeconds = meta.seconds;
    }
  }
  const started = performance.now() - resumedSeconds * 1000;
  let seen = 0;
  for (let epoch = first; epoch < epochs; epoch++) {
    optimizer.learningRate = learningRate * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * epoch) / epochs)));
    let loss = 0;
    let acc = 0;
    let tokens = 0;
    for (const batch of lengthBatches(trainable.map((s) => s.words.length), batchSize, rng)) {
      const [x, y] = batchTensors(trainable, batch);
      const [l, a] = (await model.trainOnBatch(x, y)) as number[];
      tf.dispose([x, y]);
      const n = batch.length * x.shape[1];
      loss += l * n;
      acc += a * n;
      tokens += n;
      seen += batch.length;
    }
    history.loss.push(loss / tokens);
    history.acc.push(acc / tokens);
    if (options.checkpointDir) await saveTrainingState(options.checkpointDir, epoch + 1, model, optimizer, { rngState: rng.state, history, seconds: (performance.now() - started) / 1000 });
    await options.onEpoch?.(epoch, { loss: loss / tokens, acc: acc / tokens }, (performance.now() - started) / 1000);
  }
  const trainSeconds = (performance.now() - started) / 1000;
  const thisRun = trainSeconds - resumedSeconds;
  return { epochs: Array.from({ length: epochs - first }, (_, i) => first + i), history, stoppedEarly: false, trainSeconds, samplesPerSecond: seen / Math.max(thisRun, 1e-9) };
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
