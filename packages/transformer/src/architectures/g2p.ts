/**
 * `neurozoo train transformer` (cmudict): the encoder-decoder transformer on grapheme-to-phoneme,
 * with the rnn family's split and scores. The CLI hands over `loadDataset('cmudict')` (x [n, 20]
 * letter ids, y [n, T] phoneme ids, 0-padded, named by `inputNames` / `classNames`) and writes the
 * full-sequence graph (source + teacher-forced target -> logits) as model.onnx; the architecture
 * adds encoder.onnx, decoder-step.onnx (KV cache) and vocab.json, scores PER/WER in tfjs and in
 * onnxruntime, and pronounces words for `neurozoo predict <dir> WORD... [--beam N]`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ArchitectureSpec,
  DataError,
  type InspectRequest,
  isInteractive,
  type PredictRequest,
  type PredictResult,
  type TrainedArchitecture,
  type TrainingData,
  type TrainRequest,
  tf,
} from '@neurozoo/core';
import { BOS, encodeTarget, encodeWord, errorRates, g2pVocab, padRows, type Seq2SeqVocab, usingModel, wordSymbols } from '@neurozoo/core/runtime';
import { G2PTransformer, type G2PModelConfig, type WordPronunciation } from '../train/g2p.js';
import { crossAttentionMaps, heatmapPng } from '../inspect.js';
import { OnnxG2P } from '../runtime/g2p.js';

/** Model of the CLI's `transformer` arch (and of scripts/train-g2p.mjs): small enough to train on a CPU in Node. */
export const G2P_TRANSFORMER_CONFIG: G2PModelConfig = { dim: 64, heads: 4, encoderLayers: 2, decoderLayers: 2, ffDim: 256, dropout: 0, activation: 'relu' };
/** Test words decoded with beam search (width 4) in onnxruntime by `evaluateOnnx` (the first ones). */
const G2P_BEAM_TEST_WORDS = 500;

/** Words and phonemes of a cmudict-like token data set; throws DataError for other data. */
export function g2pPairsOf(d: TrainingData & { inputNames?: string[] }): { pairs: WordPronunciation[]; graphemes: string[]; phonemes: string[] } {
  const { inputNames, classNames, yShape } = d;
  if (!inputNames || !classNames || !yShape || d.xShape.length !== 2 || yShape.length !== 2) {
    throw new DataError(
      `transformer trains on letter and phoneme ids (x [n, L] and y [n, T] with inputNames and classNames, as the 'cmudict' data set gives); got '${d.name}' with x [${d.xShape.join(', ')}]${yShape ? `, y [${yShape.join(', ')}]` : ''}${inputNames ? '' : ' and no inputNames'}`,
    );
  }
  const [n, L] = d.xShape;
  const T = yShape[1];
  const names = (a: ArrayLike<number>, table: string[]) => {
    const out: string[] = [];
    for (let i = 0; i < a.length && a[i] !== 0; i++) out.push(table[a[i]]);
    return out;
  };
  const pairs = Array.from({ length: n }, (_, i) => ({ word: names(d.x.subarray(i * L, (i + 1) * L), inputNames).join(''), phonemes: names(d.y.subarray(i * T, (i + 1) * T), classNames) }));
  return { pairs, graphemes: inputNames.slice(1), phonemes: classNames.slice(1) };
}

/** [source, teacher-forced target] of the first `k` test words, for the CLI's parity check. */
function sampleInputs(g2p: G2PTransformer, pairs: readonly WordPronunciation[], k = 8): tf.Tensor[] {
  const some = pairs.slice(0, k);
  const src = padRows(some.map((p) => encodeWord(g2p.vocab, p.word)));
  const tgt = padRows(some.map((p) => [BOS, ...encodeTarget(g2p.vocab, p.phonemes)]));
  return [tf.tensor2d(src.data, [some.length, src.length]), tf.tensor2d(tgt.data, [some.length, tgt.length])];
}

async function trainG2P(req: TrainRequest): Promise<TrainedArchitecture> {
  const { epochs, batchSize, seed, verbose, checkpointDir, resume } = req;
  const train = g2pPairsOf(req.train);
  const test = g2pPairsOf(req.test);
  if (train.pairs.length === 0 || test.pairs.length === 0) throw new DataError(`transformer needs training and test words; got ${train.pairs.length} and ${test.pairs.length}`);
  const maxTarget = [...train.pairs, ...test.pairs].reduce((m, p) => Math.max(m, p.phonemes.length), 0);
  const vocab = g2pVocab(train.graphemes, train.phonemes, req.train.xShape[1], maxTarget + 4);
  const g2p = G2PTransformer.create(vocab, G2P_TRANSFORMER_CONFIG, seed);
  const chatty = verbose === true || (verbose === 'auto' && isInteractive());
  const fit = await g2p.fit(train.pairs, {
    epochs, batchSize, seed, learningRate: 2e-3, checkpointDir, resume,
    onEpoch: (e, loss, s) => {
      if (chatty) console.error(`epoch ${e + 1}/${epochs}: loss ${loss.toFixed(4)} (${s.toFixed(0)} s)`);
    },
  });
  const words = test.pairs.map((p) => p.word);
  const refs = test.pairs.map((p) => p.phonemes);
  const tfGreedy = (await g2p.predict(words)).map((p) => p.phonemes);
  const tfScores = errorRates(tfGreedy, refs);
  const metadata = {
    'neurozoo.family': 'transformer',
    'neurozoo.arch': 'transformer',
    'neurozoo.dataset': req.train.name,
    'neurozoo.input': `source: float32 [batch, letters <= ${vocab.maxSourceLength}] letter ids (vocab.json source, id = index + 1, 0 = padding); target: float32 [batch, steps] BOS (1) + phoneme ids (index + 3)`,
    'neurozoo.vocab': JSON.stringify(vocab),
  };
  const { encoder, decoderStep } = g2p.export(metadata);
  return {
    model: g2p.model,
    fit: { epochs: fit.epochs, history: { loss: fit.losses }, stoppedEarly: fit.stoppedEarly, trainSeconds: fit.trainSeconds, samplesPerSecond: fit.samplesPerSecond },
    testMetrics: { per: tfScores.per, wer: tfScores.wer, words: words.length },
    sampleInputs: sampleInputs(g2p, test.pairs),
    metadata,
    evaluateOnnx: () =>
      usingModel(OnnxG2P.load(encoder, decoderStep, vocab, { devices: ['cpu'] }), async (runtime) => {
        const greedy = (await runtime.predict(words)).map((p) => p.phonemes);
        const n = Math.min(G2P_BEAM_TEST_WORDS, words.length);
        const beam = (await runtime.predict(words.slice(0, n), { beam: 4 })).map((p) => p.phonemes);
        const scores = errorRates(greedy, refs);
        const beamScores = errorRates(beam, refs.slice(0, n));
        const same = greedy.filter((s, i) => s.join(' ') === tfGreedy[i].join(' ')).length;
        return { per: scores.per, wer: scores.wer, words: words.length, beam4Per: beamScores.per, beam4Wer: beamScores.wer, beam4Words: n, greedyAgreementWithTfjs: same / words.length, provider: runtime.provider };
      }),
    files: { 'encoder.onnx': encoder, 'decoder-step.onnx': decoderStep, 'vocab.json': `${JSON.stringify(vocab)}\n` },
  };
}

/** `neurozoo predict <dir> WORD... [--beam N]`: each word's phonemes with onnxruntime from the folder's encoder.onnx + decoder-step.onnx. */
export async function predictG2P(req: PredictRequest): Promise<PredictResult> {
  if (req.inputs.length === 0) throw new DataError('Empty input: give at least one word.');
  const vocab = JSON.parse(readFileSync(join(req.dir, 'vocab.json'), 'utf8')) as Seq2SeqVocab;
  return usingModel(OnnxG2P.load(join(req.dir, 'encoder.onnx'), join(req.dir, 'decoder-step.onnx'), vocab, { devices: ['cpu'] }), async (runtime) => {
    const predictions = await runtime.predict(req.inputs, { beam: req.beam ?? 1 });
    const rows = predictions.map((p, i) => ({ input: req.inputs[i], output: p.phonemes, inputSymbols: wordSymbols(req.inputs[i]), logProb: p.logProb }));
    return { rows, provider: runtime.provider };
  });
}

/**
 * `neurozoo inspect <dir>`: the cross-attention of every decoder block and head for the first
 * test word, teacher-forced with its reference phonemes, as `cross-attention-layer<l>-head<h>.png`
 * (rows: BOS and the phonemes, i.e. the decoder steps; columns: the letters).
 */
export async function inspectG2P({ model, test, outDir }: InspectRequest): Promise<string[]> {
  const { pairs, graphemes, phonemes } = g2pPairsOf(test);
  if (pairs.length === 0) throw new DataError('inspect needs at least one test word');
  const vocab = g2pVocab(graphemes, phonemes, test.xShape[1], (test.yShape as number[])[1]);
  const [first] = pairs;
  const source = encodeWord(vocab, first.word);
  const decoderInput = [BOS, ...encodeTarget(vocab, first.phonemes)];
  const maps = crossAttentionMaps(model, source, decoderInput);
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  try {
    maps.forEach((m, layer) => {
      for (let head = 0; head < m.shape[0]; head++) {
        const path = join(outDir, `cross-attention-layer${layer}-head${head}.png`);
        writeFileSync(path, heatmapPng(m.slice([head, 0, 0], [1, decoderInput.length, source.length]).dataSync() as Float32Array, decoderInput.length, source.length, 12));
        files.push(path);
      }
    });
  } finally {
    tf.dispose(maps);
  }
  return files;
}

/** Encoder-decoder transformer for grapheme-to-phoneme on CMUdict. */
export const g2pArchitecture: ArchitectureSpec = {
  name: 'transformer',
  description: 'encoder-decoder transformer (2+2 pre-LN blocks, d 64, 4 heads, ReLU FFN 256) for grapheme-to-phoneme; encoder.onnx + KV-cache decoder-step.onnx, greedy/beam decoding in onnxruntime',
  datasets: ['cmudict'],
  defaults: { epochs: 3, batchSize: 128 },
  train: trainG2P,
  predict: predictG2P,
  inspect: inspectG2P,
};
