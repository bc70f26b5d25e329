/**
 * `neurozoo train seq2seq` (cmudict): the attention encoder-decoder on grapheme-to-phoneme.
 * The CLI writes the encoder as model.onnx and tfjs/; the architecture adds encoder.onnx,
 * decoder-step.onnx, vocab.json and the decoder weights (decoder.bin, decoder.json), scores
 * PER/WER in tfjs and in onnxruntime, pronounces words for `neurozoo predict` and draws
 * attention heatmaps for `neurozoo inspect`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type ArchitectureSpec,
  DataError,
  type InspectRequest,
  type PredictRequest,
  type PredictResult,
  type TrainedArchitecture,
  type TrainRequest,
  tf,
} from '@neurozoo/core';
import { encodeSource, errorRates, g2pVocab, type Seq2SeqVocab, usingModel, wordSymbols } from '@neurozoo/core/runtime';
import { Seq2Seq } from '../builders/seq2seq.js';
import { exportSeq2Seq } from '../export.js';
import { g2pExamples, predictWords, type WordPronunciation } from '../g2p.js';
import { attentionHeatmap } from '../inspect.js';
import { OnnxSeq2Seq, type Prediction } from '../runtime/seq2seq.js';
import { decoderWeightFiles, fitSeq2Seq } from '../train/seq2seq.js';
import { chatty, type TokenTrainingData, tokenRows } from './data.js';

/** Test words decoded in onnxruntime by `evaluateOnnx` (the first ones of the test split). */
const SEQ2SEQ_ORT_TEST_WORDS = 1000;
/** Sizes of the CLI's seq2seq model. */
const SEQ2SEQ_CONFIG = { encoderUnits: 64, sourceEmbedding: 32, targetEmbedding: 32 } as const;

/** Words and phonemes of a cmudict-like token data set. */
function pairsOf(d: TokenTrainingData): { pairs: WordPronunciation[]; graphemes: string[]; phonemes: string[] } {
  const { rows, inputNames, classNames } = tokenRows(d, 'seq2seq', 'cmudict');
  const pairs = rows.map((r) => ({ word: Array.from(r.inputs, (id) => inputNames[id]).join(''), phonemes: Array.from(r.targets, (id) => classNames[id]) }));
  return { pairs, graphemes: inputNames.slice(1), phonemes: classNames.slice(1) };
}

/** Reads a trained folder's vocab.json. */
function readVocab(dir: string): Seq2SeqVocab {
  return JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8')) as Seq2SeqVocab;
}

/** Words with the most common length among the first 64, as encoder input ids [k, S]. */
function sampleSources(vocab: Seq2SeqVocab, words: readonly string[]): tf.Tensor2D {
  const ids = words.slice(0, 64).map((w) => encodeSource(vocab, wordSymbols(w)));
  const counts = new Map<number, number>();
  for (const s of ids) counts.set(s.length, (counts.get(s.length) ?? 0) + 1);
  const len = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  const picked = ids.filter((s) => s.length === len).slice(0, 8);
  const x = new Float32Array(picked.length * len);
  picked.forEach((s, i) => x.set(s, i * len));
  return tf.tensor2d(x, [picked.length, len]);
}

async function trainSeq2Seq(req: TrainRequest): Promise<TrainedArchitecture> {
  const { epochs, batchSize, seed, verbose, resume, checkpointDir } = req;
  const train = pairsOf(req.train);
  const test = pairsOf(req.test);
  if (train.pairs.length === 0 || test.pairs.length === 0) throw new DataError(`seq2seq needs training and test words; got ${train.pairs.length} and ${test.pairs.length}`);
  const maxTarget = Math.max(...[...train.pairs, ...test.pairs].map((p) => p.phonemes.length));
  const vocab = g2pVocab(train.graphemes, train.phonemes, req.train.xShape[1], maxTarget + 4);
  const model = Seq2Seq.create(vocab, { ...SEQ2SEQ_CONFIG, seed });
  const log = chatty(verbose);
  const fit = await fitSeq2Seq(model, g2pExamples(vocab, train.pairs), {
    epochs, batchSize, seed, learningRate: 3e-3, checkpointDir, resume,
    onEpoch: (e, loss, s) => {
      if (log) console.error(`epoch ${e + 1}/${epochs}: loss ${loss.toFixed(4)} (${s.toFixed(0)} s)`);
    },
  });
  const words = test.pairs.map((p) => p.word);
  const refs = test.pairs.map((p) => p.phonemes);
  const tfGreedy = (await predictWords(model, words)).map((p) => p.symbols);
  const tfScores = errorRates(tfGreedy, refs);
  const { encoder, decoderStep } = await exportSeq2Seq(model);
  const metadata = {
    'neurozoo.family': 'rnn',
    'neurozoo.arch': 'seq2seq',
    'neurozoo.dataset': req.train.name,
    'neurozoo.part': 'encoder',
    'neurozoo.input': `float32 [batch, letters <= ${vocab.maxSourceLength}]: letter ids (vocab.json source, id = index + 1)`,
    'neurozoo.vocab': JSON.stringify(vocab),
  };
  return {
    model: model.encoder,
    fit: { epochs: fit.losses.map((_, i) => i), history: { loss: fit.losses }, stoppedEarly: fit.stoppedEarly, trainSeconds: fit.trainSeconds, samplesPerSecond: fit.samplesPerSecond },
    testMetrics: { per: tfScores.per, wer: tfScores.wer, words: words.length },
    sampleInputs: sampleSources(vocab, words),
    metadata,
    async evaluateOnnx(bytes) {
      const n = Math.min(SEQ2SEQ_ORT_TEST_WORDS, words.length);
      const runtime = await OnnxSeq2Seq.load(bytes, decoderStep, vocab, { devices: ['cpu'] });
      try {
        const ort = (await runtime.predict(words.slice(0, n))).map((p) => p.symbols);
        const same = ort.filter((s, i) => s.join(' ') === tfGreedy[i].join(' ')).length;
        const scores = errorRates(ort, refs.slice(0, n));
        return { per: scores.per, wer: scores.wer, words: n, agreementWithTfjs: same / n, provider: runtime.encoder.provider };
      } finally {
        await runtime.release();
      }
    },
    files: {
      'encoder.onnx': encoder,
      'decoder-step.onnx': decoderStep,
      'vocab.json': `${JSON.stringify(vocab)}\n`,
      ...decoderWeightFiles(model),
    },
  };
}

/** One prediction as a CLI row. */
function row(word: string, p: Prediction) {
  return { input: word, output: p.symbols, inputSymbols: wordSymbols(word), logProb: p.logProb, attention: p.attention.map((a) => Array.from(a)) };
}

/** `neurozoo predict <dir> WORD...`: each word's phonemes with onnxruntime (greedy, or beam search with `beam` > 1). */
export async function predictSeq2Seq(req: PredictRequest): Promise<PredictResult> {
  const vocab = readVocab(req.dir);
  if (req.inputs.length === 0) throw new DataError('Empty input: give at least one word.');
  return usingModel(openRuntime(req.dir, vocab), async (runtime) => {
    const predictions = await runtime.predict(req.inputs, { beam: req.beam ?? 1 });
    return { rows: predictions.map((p, i) => row(req.inputs[i], p)), provider: runtime.encoder.provider };
  });
}

/** The folder's encoder and decoder step in onnxruntime on the CPU. */
const openRuntime = (dir: string, vocab: Seq2SeqVocab) => OnnxSeq2Seq.load(join(dir, 'encoder.onnx'), join(dir, 'decoder-step.onnx'), vocab, { devices: ['cpu'] });

/** Words the `inspect` hook draws: the first three test words, and 'pronunciation' when the model accepts it. */
function inspectWords(test: TokenTrainingData, vocab: Seq2SeqVocab): string[] {
  const words = pairsOf(test).pairs.slice(0, 3).map((p) => p.word);
  try {
    encodeSource(vocab, wordSymbols('pronunciation'));
    words.push('pronunciation');
  } catch {
    // a model with a shorter source limit or other letters: the test words only
  }
  return words;
}

/**
 * `neurozoo inspect <dir>`: an attention heatmap PNG per word (rows: output phonemes with the
 * end step, columns: letters; darker = more attention), decoded with onnxruntime from the
 * folder's graphs (`outDir` is `<dir>/inspect`).
 */
export async function inspectSeq2Seq({ test, outDir }: InspectRequest): Promise<string[]> {
  const dir = dirname(outDir);
  const vocab = readVocab(dir);
  const words = inspectWords(test, vocab);
  const predictions = await usingModel(openRuntime(dir, vocab), (runtime) => runtime.predict(words));
  mkdirSync(outDir, { recursive: true });
  return words.map((w, i) => {
    const path = join(outDir, `attention-${w.replace(/[^a-z0-9]/gi, '_')}.png`);
    writeFileSync(path, attentionHeatmap(predictions[i].attention));
    return path;
  });
}

/** Attention encoder-decoder for grapheme-to-phoneme on CMUdict. */
export const seq2seqArchitecture: ArchitectureSpec = {
  name: 'seq2seq',
  description: 'attention encoder-decoder (BiLSTM 2x64 encoder, LSTM 128 decoder with dot-product attention) for grapheme-to-phoneme; encoder.onnx + decoder-step.onnx, greedy/beam decoding in onnxruntime',
  datasets: ['cmudict'],
  defaults: { epochs: 3, batchSize: 64 },
  train: trainSeq2Seq,
  predict: predictSeq2Seq,
  inspect: inspectSeq2Seq,
};
