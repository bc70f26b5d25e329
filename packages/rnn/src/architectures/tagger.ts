/**
 * `neurozoo train bilstm-tagger` (brown-pos): part-of-speech tagging of the Brown corpus with
 * an embedding, a BiLSTM and a softmax per word. The vocabulary is built from the training
 * sentences (lower-cased words seen at least twice; other words map to unknown-word classes by
 * their shape) and written as vocab.json; `neurozoo predict <dir> WORD...` tags the words as
 * one sentence with onnxruntime.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ArchitectureSpec, DataError, type PredictRequest, type PredictResult, type TrainedArchitecture, type TrainRequest, tf } from '@neurozoo/core';
import { createSession, usingModel } from '@neurozoo/core/runtime';
import { sequenceTagger } from '../builders/recurrent.js';
import { OnnxTagger } from '../runtime/tagger.js';
import { fitTagger, predictTags, type TaggedIds, tagAccuracy } from '../train/tagger.js';
import { buildTaggerVocab, type TaggerVocab, UNKNOWN_WORD_CLASSES, wordIndex } from '../vocab.js';
import { chatty, type TokenTrainingData, tokenRows } from './data.js';

/** Sizes of the CLI's tagger: word embedding 64, one BiLSTM layer of 64 units per direction. */
const TAGGER_CONFIG = { embeddingDim: 64, units: [64], minCount: 2, learningRate: 3e-3 } as const;

/** Sentences of a brown-pos-like data set: word strings and target tag ids (1-based, 0 is padding). */
function sentencesOf(d: TokenTrainingData) {
  const { rows, inputNames, classNames } = tokenRows(d, 'bilstm-tagger', 'brown-pos');
  const bad = rows.findIndex((r) => r.inputs.length !== r.targets.length || r.inputs.length === 0);
  if (bad >= 0) throw new DataError(`bilstm-tagger: sentence ${bad} of '${d.name}' has ${rows[bad].inputs.length} words and ${rows[bad].targets.length} tags; expected at least one word and one tag per word`);
  return { words: rows.map((r) => Array.from(r.inputs, (id) => inputNames[id])), targets: rows.map((r) => r.targets), tags: classNames.slice(1) };
}

/** Sentences as model ids: words through the vocabulary lookup, tags 0-based. */
const toIds = (s: ReturnType<typeof sentencesOf>, lookup: (word: string) => number): TaggedIds[] =>
  s.words.map((w, i) => ({ words: Int32Array.from(w, lookup), tags: Int32Array.from(s.targets[i], (t) => t - 1) }));

/** Token accuracy on words the vocabulary does not know (unknown-word classes), or NaN without any. */
function unknownAccuracy(sentences: readonly TaggedIds[], predicted: readonly Int32Array[]): number {
  const lastUnknown = UNKNOWN_WORD_CLASSES.length;
  let correct = 0;
  let total = 0;
  sentences.forEach((s, i) => {
    s.words.forEach((w, t) => {
      if (w >= 1 && w <= lastUnknown) {
        total++;
        if (predicted[i][t] === s.tags[t]) correct++;
      }
    });
  });
  return total === 0 ? Number.NaN : correct / total;
}

/** Runs the ONNX tagger on every sentence (same-length batches) and returns the predicted tag ids. */
async function onnxTags(bytes: Uint8Array, sentences: readonly TaggedIds[]) {
  const session = await createSession(bytes, { devices: ['cpu'] });
  const out: Int32Array[] = new Array(sentences.length);
  const byLength = new Map<number, number[]>();
  sentences.forEach((s, i) => byLength.set(s.words.length, [...(byLength.get(s.words.length) ?? []), i]));
  try {
    for (const [T, idx] of byLength) {
      for (let from = 0; from < idx.length; from += 256) {
        const part = idx.slice(from, from + 256);
        const x = new Float32Array(part.length * T);
        part.forEach((k, b) => x.set(sentences[k].words, b * T));
        const res = await session.run({ [session.inputs[0].name]: { data: x, dims: [part.length, T] } });
        const probs = res[session.outputs[0].name].data as Float32Array;
        const K = probs.length / (part.length * T);
        part.forEach((k, b) => {
          out[k] = Int32Array.from({ length: T }, (_, t) => {
            const at = (b * T + t) * K;
            let best = 0;
            for (let j = 1; j < K; j++) if (probs[at + j] > probs[at + best]) best = j;
            return best;
          });
        });
      }
    }
    return { predicted: out, provider: session.provider };
  } finally {
    await session.release();
  }
}

async function trainTagger(req: TrainRequest): Promise<TrainedArchitecture> {
  const { epochs, batchSize, seed, verbose, resume, checkpointDir } = req;
  const rawTrain = sentencesOf(req.train);
  const rawTest = sentencesOf(req.test);
  if (rawTrain.words.length === 0) throw new DataError(`bilstm-tagger needs training sentences; '${req.train.name}' has none`);
  if (rawTest.tags.join() !== rawTrain.tags.join()) throw new DataError(`bilstm-tagger: the test tags (${rawTest.tags.join(' ')}) differ from the training tags (${rawTrain.tags.join(' ')})`);
  const vocab = buildTaggerVocab(rawTrain.words.flat(), rawTrain.tags, TAGGER_CONFIG.minCount);
  const lookup = wordIndex(vocab);
  const train = toIds(rawTrain, lookup);
  const test = toIds(rawTest, lookup);
  if (test.length === 0) throw new DataError(`bilstm-tagger needs test sentences; '${req.test.name}' has none`);
  const model = sequenceTagger({
    vocabSize: vocab.words.length, outputs: vocab.tags.length, units: [...TAGGER_CONFIG.units], embeddingDim: TAGGER_CONFIG.embeddingDim,
    seed, learningRate: TAGGER_CONFIG.learningRate,
  });
  const log = chatty(verbose);
  const fit = await fitTagger(model, train, {
    epochs, batchSize, seed, learningRate: TAGGER_CONFIG.learningRate, checkpointDir, resume,
    onEpoch: (e, logs, s) => {
      if (log) console.error(`epoch ${e + 1}/${epochs}: loss ${logs.loss.toFixed(4)}, acc ${logs.acc.toFixed(4)} (${s.toFixed(0)} s)`);
    },
  });
  const predicted = predictTags(model, test);
  const testMetrics = {
    accuracy: tagAccuracy(test, predicted),
    unknownWordAccuracy: unknownAccuracy(test, predicted),
    tokens: test.reduce((a, s) => a + s.words.length, 0),
    sentences: test.length,
  };
  const len = test[0].words.length;
  const same = test.filter((s) => s.words.length === len).slice(0, 8);
  const sample = new Float32Array(same.length * len);
  same.forEach((s, i) => sample.set(s.words, i * len));
  return {
    model,
    fit,
    testMetrics,
    sampleInputs: tf.tensor2d(sample, [same.length, len]),
    metadata: {
      'neurozoo.family': 'rnn',
      'neurozoo.arch': 'bilstm-tagger',
      'neurozoo.dataset': req.train.name,
      'neurozoo.input': 'float32 [batch, words]: word ids of vocab.json (lower-cased; unknown words -> unknown-word classes by shape)',
      'neurozoo.tags': JSON.stringify(vocab.tags),
    },
    async evaluateOnnx(bytes) {
      const ort = await onnxTags(bytes, test);
      let agree = 0;
      ort.predicted.forEach((p, i) => p.forEach((tag, t) => tag === predicted[i][t] && agree++));
      return { accuracy: tagAccuracy(test, ort.predicted), tokenAgreementWithTfjs: agree / testMetrics.tokens, provider: ort.provider };
    },
    files: { 'vocab.json': `${JSON.stringify(vocab)}\n` },
  };
}

/** `neurozoo predict <dir> WORD...`: the words form one sentence; one row per word with its tag, from onnxruntime. */
export async function predictTagger(req: PredictRequest): Promise<PredictResult> {
  const vocab = JSON.parse(readFileSync(join(req.dir, 'vocab.json'), 'utf8')) as TaggerVocab;
  return usingModel(OnnxTagger.load(join(req.dir, 'model.onnx'), vocab, { devices: ['cpu'] }), async (tagger) => {
    const tagged = await tagger.tag(req.inputs);
    return { rows: tagged.map((t) => ({ input: t.word, output: [t.tag], logProb: Math.log(t.probability) })), provider: tagger.provider };
  });
}

/** BiLSTM part-of-speech tagger on the Brown corpus. */
export const taggerArchitecture: ArchitectureSpec = {
  name: 'bilstm-tagger',
  description: 'part-of-speech tagger: word embedding 64, BiLSTM 2x64, softmax over 12 universal-style tags per word; trained on same-length batches of Brown sentences',
  datasets: ['brown-pos'],
  defaults: { epochs: 2, batchSize: 64 },
  train: trainTagger,
  predict: predictTagger,
};
