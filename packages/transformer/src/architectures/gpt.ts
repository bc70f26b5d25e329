/**
 * `neurozoo train gpt`: a character GPT on the Brown corpus. The CLI loads `brown` as next-character windows (x [n, 64] ids, y [n, 64] next ids, the
 * vocabulary in classNames); `train` writes model.onnx (full sequence), decode-step.onnx (KV
 * cache) and vocab.json, and `neurozoo generate <dir>` continues a prompt in onnxruntime.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchitectureSpec, GenerateRequest, GenerateResult, TrainedArchitecture, TrainRequest } from '@neurozoo/core';
import { tf } from '@neurozoo/core';
import { createSession, usingModel } from '@neurozoo/core/runtime';
import { exportDecodeStep } from '../export.js';
import { buildGpt } from '../builders/gpt.js';
import { inspectAttention } from '../inspect.js';
import { CharVocabulary, OnnxLanguageModel } from '../runtime/index.js';
import { evaluateSequenceModel, trainSequenceModel } from '../train/gpt.js';

/** Training windows per epoch the CLI uses at most (about 1.3M characters). */
const GPT_MAX_TRAIN_WINDOWS = 20_000;
/** Test windows evaluated (tfjs and onnxruntime). */
const GPT_MAX_TEST_WINDOWS = 500;

/** Cross-entropy, perplexity and agreement with tfjs of the full-sequence ONNX graph on the n test windows of length t (one run). */
function onnxLmMetrics(bytes: Uint8Array, model: tf.LayersModel, x: Float32Array, y: Int32Array, n: number, t: number): Promise<Record<string, number | string>> {
  return usingModel(createSession(bytes, { devices: ['cpu'] }), async (session) => {
    const logits = (await session.run({ data: x, dims: [n, t] }))[session.outputs[0].name].data as Float32Array;
    const tfArg = tf.tidy(() => (model.predict(tf.tensor2d(x, [n, t])) as tf.Tensor).argMax(-1).dataSync());
    const v = logits.length / (n * t);
    let loss = 0;
    let agree = 0;
    for (let i = 0; i < n * t; i++) {
      const row = logits.subarray(i * v, (i + 1) * v);
      let max = -Infinity;
      let arg = 0;
      for (let j = 0; j < v; j++) if (row[j] > max) [max, arg] = [row[j], j];
      let sum = 0;
      for (let j = 0; j < v; j++) sum += Math.exp(row[j] - max);
      loss += Math.log(sum) + max - row[y[i]];
      if (arg === tfArg[i]) agree++;
    }
    const mean = loss / (n * t);
    return { loss: mean, perplexity: Math.exp(mean), tokenAgreementWithTfjs: agree / (n * t), provider: session.provider };
  });
}

async function trainGpt(req: TrainRequest): Promise<TrainedArchitecture> {
  const { train, test, epochs, batchSize, seed, verbose, checkpointDir, resume } = req;
  const t = train.xShape[1];
  const vocabulary = train.classNames ?? Array.from({ length: train.numClasses }, (_, i) => String.fromCharCode(i));
  const n = Math.min(train.xShape[0], GPT_MAX_TRAIN_WINDOWS);
  const m = Math.min(test.xShape[0], GPT_MAX_TEST_WINDOWS);
  const model = buildGpt({ vocabSize: train.numClasses, contextLength: t, dim: 64, heads: 2, layers: 2, ffDim: 256, dropout: 0.1 }, seed);
  const x = tf.tensor2d(train.x.subarray(0, n * t), [n, t]);
  const y = tf.tensor2d(Float32Array.from(train.y.subarray(0, n * t)), [n, t]);
  const fitResult = await trainSequenceModel(model, x, y, { epochs, batchSize, seed, verbose, learningRate: 2e-3, labelSmoothing: 0.1, checkpointDir, resume });
  tf.dispose([x, y]);
  const testX = test.x.subarray(0, m * t);
  const testY = test.y.subarray(0, m * t);
  const tx = tf.tensor2d(testX, [m, t]);
  const ty = tf.tensor2d(Float32Array.from(testY), [m, t]);
  const testMetrics = evaluateSequenceModel(model, tx, ty);
  tf.dispose(ty);
  const metadata = {
    'neurozoo.family': 'transformer',
    'neurozoo.arch': 'gpt',
    'neurozoo.dataset': train.name,
    'neurozoo.input': `float32 [batch, sequence <= ${t}]: character ids`,
    'neurozoo.vocabulary': JSON.stringify(vocabulary),
  };
  return {
    model,
    testMetrics,
    fit: fitResult,
    sampleInputs: tx.slice(0, Math.min(8, m)),
    metadata,
    evaluateOnnx: async (bytes) => {
      tx.dispose();
      return onnxLmMetrics(bytes, model, testX, testY, m, t);
    },
    files: {
      'decode-step.onnx': exportDecodeStep(model, { metadata: { ...metadata, 'neurozoo.part': 'decode-step' } }),
      'vocab.json': `${JSON.stringify({ vocabulary, contextLength: t })}\n`,
    },
  };
}

/** `neurozoo generate` for character LMs trained by `neurozoo train`: reads vocab.json, runs decode-step.onnx (or model.onnx without the cache). */
export async function generateText(req: GenerateRequest): Promise<GenerateResult> {
  const { vocabulary, contextLength } = JSON.parse(readFileSync(join(req.dir, 'vocab.json'), 'utf8')) as { vocabulary: string[]; contextLength: number };
  const vocab = new CharVocabulary(vocabulary, Math.max(0, vocabulary.indexOf(' ')));
  const useCache = req.cache ?? true;
  const model = OnnxLanguageModel.load(useCache ? { step: join(req.dir, 'decode-step.onnx') } : { full: join(req.dir, 'model.onnx') }, { contextLength, devices: ['cpu'] });
  return usingModel(model, async (lm) => {
    const out = await lm.generate(vocab.encode(req.prompt), { maxTokens: req.maxTokens, temperature: req.temperature, topK: req.topK, topP: req.topP, seed: req.seed, cache: useCache });
    return { text: vocab.decode(out.generated), tokens: out.generated.length, tokensPerSecond: out.tokensPerSecond, provider: lm.provider };
  });
}

/** Character GPT on Brown. */
export const gptArchitecture: ArchitectureSpec = {
  name: 'gpt',
  description: 'character GPT: 2 pre-LN causal blocks (d 64, 2 heads, GELU FFN 256), learned positions, context 64; label smoothing, clipped Adam, warm-up + cosine',
  datasets: ['brown'],
  defaults: { epochs: 1, batchSize: 32 },
  train: trainGpt,
  inspect: inspectAttention,
  generate: generateText,
};
