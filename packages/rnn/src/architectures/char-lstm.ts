/**
 * `neurozoo train char-lstm` (brown): a character LSTM language model on next-character windows
 * (x [n, L] ids, y [n, L] the next ids, the vocabulary in classNames). The CLI writes the
 * full-sequence model.onnx; the architecture adds step.onnx (the same weights with the LSTM
 * state as input and output) and vocab.json, and `neurozoo generate <dir>` samples from
 * step.onnx with onnxruntime only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ArchitectureSpec,
  DataError,
  exportOnnx,
  fit,
  type GenerateRequest,
  type GenerateResult,
  learningRateScheduler,
  OptionError,
  type TrainedArchitecture,
  type TrainRequest,
  tf,
  warmupCosine,
} from '@neurozoo/core';
import { createSession, usingModel } from '@neurozoo/core/runtime';
import { charStepModel } from '../builders/char-lm.js';
import { charLanguageModel } from '../builders/recurrent.js';
import { type CharLmVocab, OnnxCharLanguageModel } from '../runtime/charlm.js';

/** Training windows per epoch the CLI uses at most (the first ones: about 1.3M characters of Brown). */
const CHAR_LSTM_MAX_TRAIN_WINDOWS = 20_000;
/** Test windows evaluated in tfjs and onnxruntime. */
const CHAR_LSTM_MAX_TEST_WINDOWS = 500;
/** Sizes of the CLI's char-lstm: embedding 32, one LSTM layer of 128 units. */
const CHAR_LSTM_CONFIG = { embeddingDim: 32, units: [128], learningRate: 3e-3 } as const;

/** Mean cross-entropy (nats), accuracy of the most likely character, and the argmax per position, of probability rows against targets. */
function lmScores(probs: Float32Array, targets: ArrayLike<number>, v: number) {
  let loss = 0;
  let correct = 0;
  const argmax = new Int32Array(targets.length);
  for (let i = 0; i < targets.length; i++) {
    let best = 0;
    for (let j = 1; j < v; j++) if (probs[i * v + j] > probs[i * v + best]) best = j;
    argmax[i] = best;
    if (best === targets[i]) correct++;
    loss -= Math.log(Math.max(probs[i * v + targets[i]], 1e-12));
  }
  return { loss: loss / targets.length, accuracy: correct / targets.length, argmax };
}

function checkWindows(d: TrainRequest['train'], what: string): { n: number; t: number } {
  const [n, t] = d.xShape;
  if (d.xShape.length !== 2 || d.yShape?.length !== 2 || d.yShape[1] !== t) {
    throw new DataError(`char-lstm trains on next-character windows (x [n, L] ids, y [n, L] the next ids, as the 'brown' data set gives); got ${what} '${d.name}' with x [${d.xShape.join(', ')}]${d.yShape ? `, y [${d.yShape.join(', ')}]` : ' and one label per sample'}`);
  }
  return { n, t };
}

async function trainCharLstm(req: TrainRequest): Promise<TrainedArchitecture> {
  const { train, test, epochs, batchSize, seed, verbose, checkpointDir, resume } = req;
  const { t } = checkWindows(train, 'training set');
  checkWindows(test, 'test set');
  const v = train.numClasses;
  const vocabulary = train.classNames ?? Array.from({ length: v }, (_, i) => String.fromCharCode(i));
  const n = Math.min(train.xShape[0], CHAR_LSTM_MAX_TRAIN_WINDOWS);
  const m = Math.min(test.xShape[0], CHAR_LSTM_MAX_TEST_WINDOWS);
  if (n === 0 || m === 0) throw new DataError(`char-lstm needs training and test windows; got ${n} and ${m}`);
  const model = charLanguageModel({ vocabSize: v, units: [...CHAR_LSTM_CONFIG.units], embeddingDim: CHAR_LSTM_CONFIG.embeddingDim, seed, learningRate: CHAR_LSTM_CONFIG.learningRate });
  const x = tf.tensor2d(train.x.subarray(0, n * t), [n, t]);
  const y = tf.tensor3d(Float32Array.from(train.y.subarray(0, n * t)), [n, t, 1]);
  let result: Awaited<ReturnType<typeof fit>>;
  try {
    result = await fit(model, x, y, {
      epochs, batchSize, seed, verbose,
      callbacks: [learningRateScheduler(warmupCosine(epochs, 0, 1e-4))],
      ...(checkpointDir ? { checkpoint: { dir: checkpointDir }, resume } : {}),
    });
  } finally {
    tf.dispose([x, y]);
  }
  const testX = test.x.subarray(0, m * t);
  const testY = test.y.subarray(0, m * t);
  const tfProbs = tf.tidy(() => (model.predict(tf.tensor2d(testX, [m, t])) as tf.Tensor).dataSync() as Float32Array);
  const tfScores = lmScores(tfProbs, testY, v);
  const metadata = {
    'neurozoo.family': 'rnn',
    'neurozoo.arch': 'char-lstm',
    'neurozoo.dataset': train.name,
    'neurozoo.input': 'float32 [batch, steps]: character ids (vocab.json vocabulary)',
    'neurozoo.vocabulary': JSON.stringify(vocabulary),
  };
  const step = charStepModel(model);
  let stepBytes: Uint8Array;
  try {
    stepBytes = await exportOnnx(step.model, { metadata: { ...metadata, 'neurozoo.part': 'step' } });
  } finally {
    step.model.dispose();
  }
  const vocab: CharLmVocab = { vocabulary, states: step.states };
  return {
    model,
    fit: result,
    testMetrics: { loss: tfScores.loss, bitsPerChar: tfScores.loss / Math.LN2, accuracy: tfScores.accuracy },
    sampleInputs: tf.tensor2d(testX.subarray(0, Math.min(8, m) * t), [Math.min(8, m), t]),
    metadata,
    async evaluateOnnx(bytes) {
      const session = await createSession(bytes, { devices: ['cpu'] });
      const provider = session.provider;
      let probs: Float32Array;
      try {
        probs = (await session.run({ [session.inputs[0].name]: { data: testX, dims: [m, t] } }))[session.outputs[0].name].data as Float32Array;
      } finally {
        await session.release();
      }
      const ort = lmScores(probs, testY, v);
      const agree = ort.argmax.filter((a, i) => a === tfScores.argmax[i]).length;
      // The step graph, fed the first test window at once from zero states, must give the full graph's probabilities.
      const lm = await OnnxCharLanguageModel.load(stepBytes, vocab, { devices: ['cpu'] });
      let stepError = 0;
      try {
        const window = Array.from(testX.subarray(0, t));
        for (let k = 1; k <= t; k *= 4) {
          const out = await lm.step(window.slice(0, k), vocab.states.map((s) => new Float32Array(s)));
          out.probs.forEach((p, j) => (stepError = Math.max(stepError, Math.abs(p - probs[(k - 1) * v + j]))));
        }
      } finally {
        await lm.release();
      }
      return { loss: ort.loss, bitsPerChar: ort.loss / Math.LN2, accuracy: ort.accuracy, tokenAgreementWithTfjs: agree / (m * t), stepGraphMaxAbsError: stepError, provider };
    },
    files: { 'step.onnx': stepBytes, 'vocab.json': `${JSON.stringify(vocab)}\n` },
  };
}

/** `neurozoo generate <dir> --prompt TEXT` for char-lstm: samples from step.onnx with onnxruntime (the LSTM state is the cache). */
export async function generateChars(req: GenerateRequest): Promise<GenerateResult> {
  const vocab = JSON.parse(readFileSync(join(req.dir, 'vocab.json'), 'utf8')) as CharLmVocab;
  const { maxTokens, temperature, topK, topP, seed } = req;
  try {
    return await usingModel(OnnxCharLanguageModel.load(join(req.dir, 'step.onnx'), vocab, { devices: ['cpu'] }), async (lm) => {
      const out = await lm.generate(req.prompt, { maxTokens, temperature, topK, topP, seed });
      return { text: out.text, tokens: out.ids.length, tokensPerSecond: out.tokensPerSecond, provider: lm.provider };
    });
  } catch (err) {
    throw err instanceof RangeError ? new OptionError(err.message) : err;
  }
}

/** Character LSTM language model on Brown. */
export const charLstmArchitecture: ArchitectureSpec = {
  name: 'char-lstm',
  description: 'character language model: embedding 32, LSTM 128, softmax over the next character; step.onnx carries the LSTM state for O(1) generation per character',
  datasets: ['brown'],
  defaults: { epochs: 1, batchSize: 64 },
  train: trainCharLstm,
  generate: generateChars,
};
