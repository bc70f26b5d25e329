// Acceptance run of the character GPT on Brown: trains on the first WINDOWS training windows
// (64 characters each) for EPOCHS, then reports held-out bits per character in tfjs and in
// onnxruntime beside a character 5-gram with add-k smoothing (k tuned on the last tenth of
// the training text) scored on the same test characters, and samples from the KV-cache graph.
// The GPT is scored on the whole test text with windows overlapping by half (every character
// sees at least 32 characters before it; `evaluateText`) and, as before, on non-overlapping
// windows (the first characters of each window see almost nothing).
// Usage: node scripts/train-gpt-brown.mjs OUT_DIR [WINDOWS] [EPOCHS] [DIM] [LAYERS]
// Environment: DROPOUT (default 0.1), LR (default 2e-3), BATCH (default 32).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportOnnx, initBackend, tf } from '@neurozoo/core';
import { BROWN_VOCABULARY, brownText, encodeBrown, loadBrown } from '@neurozoo/datasets';
import { buildGpt, CharNgram, evaluateSequenceModel, evaluateText, exportDecodeStep, greedyGenerateTf, trainSequenceModel, tuneAddK } from '../dist/index.js';
import { CharVocabulary, OnnxLanguageModel } from '../dist/runtime/index.js';

const [out = 'out/gpt-brown', windows = '40000', epochs = '1', dim = '64', layers = '2'] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const log = (...a) => console.log(new Date().toISOString(), ...a);
const backend = await initBackend({ backend: process.env.BACKEND ?? 'wasm' });
const { train, test } = loadBrown({ contextLength: 64 });
const n = Math.min(Number(windows), train.xShape[0]);
const t = 64;
const model = buildGpt({ vocabSize: 96, contextLength: t, dim: Number(dim), heads: Math.max(2, Number(dim) / 32), layers: Number(layers), dropout: Number(process.env.DROPOUT ?? 0.1) }, 0);
const batchSize = Number(process.env.BATCH ?? 32);
const learningRate = Number(process.env.LR ?? 2e-3);
log(`backend ${backend}; ${model.countParams()} parameters; ${n} windows x ${epochs} epochs (${n * t} characters per epoch); batch ${batchSize}, lr ${learningRate}, dropout ${process.env.DROPOUT ?? 0.1}`);
const x = tf.tensor2d(train.x.subarray(0, n * t), [n, t]);
const y = tf.tensor2d(Float32Array.from(train.y.subarray(0, n * t)), [n, t]);
const started = performance.now();
await trainSequenceModel(model, x, y, { epochs: Number(epochs), batchSize, learningRate, labelSmoothing: 0, seed: 0, verbose: false, checkpointDir: join(out, 'checkpoints') });
const trainSeconds = (performance.now() - started) / 1000;
tf.dispose([x, y]);
log(`trained in ${trainSeconds.toFixed(0)} s (${((n * t * Number(epochs)) / trainSeconds).toFixed(0)} tokens/s)`);

const m = test.xShape[0];
const tx = tf.tensor2d(test.x, [m, t]);
const ty = tf.tensor2d(Float32Array.from(test.y), [m, t]);
const gpt = evaluateSequenceModel(model, tx, ty);
tf.dispose([tx, ty]);
log(`GPT test (${m} windows, ${m * t} characters): ${gpt.bitsPerToken.toFixed(4)} bits/char, accuracy ${(100 * gpt.accuracy).toFixed(2)}%`);
const text = brownText();
const testIds = encodeBrown(text.test);
const strided = evaluateText(model, testIds, t, t / 2);
log(`GPT test text, windows overlapping by half (${strided.tokens} characters): ${strided.bitsPerToken.toFixed(4)} bits/char, accuracy ${(100 * strided.accuracy).toFixed(2)}%`);

// The baseline scores every test character with its full 4-character context (the GPT sees
// only the characters before it inside its 64-character window), so it is the stronger side.
const trainIds = encodeBrown(text.train);
const cut = Math.floor(trainIds.length * 0.9);
const tuned = tuneAddK(new CharNgram(BROWN_VOCABULARY.length, { order: 5 }).fit(trainIds.subarray(0, cut)), trainIds.subarray(cut));
const ngram = new CharNgram(BROWN_VOCABULARY.length, { order: 5, k: tuned.k }).fit(trainIds);
const ngramBits = ngram.bitsPerToken(test.y);
const ngramTextBits = ngram.bitsPerToken(testIds);
log(`5-gram add-k (k = ${tuned.k}): ${ngramBits.toFixed(4)} bits/char on the window targets, ${ngramTextBits.toFixed(4)} on the whole test text`);

const full = await exportOnnx(model);
const step = exportDecodeStep(model);
writeFileSync(join(out, 'model.onnx'), full);
writeFileSync(join(out, 'decode-step.onnx'), step);
const vocab = new CharVocabulary([...BROWN_VOCABULARY], 1);
const lm = await OnnxLanguageModel.load({ step, full }, { contextLength: t, devices: ['cpu'] });
const prompts = ['The jury said ', 'In the morning ', 'He was '];
const samples = [];
for (const [i, prompt] of prompts.entries()) {
  const ids = vocab.encode(prompt);
  const greedy = await lm.generate(ids, { maxTokens: 120 });
  const tfGreedy = greedyGenerateTf(model, Array.from(ids), 120);
  const sampled = await lm.generate(ids, { maxTokens: 200, temperature: 0.8, topK: 20, seed: i });
  samples.push({ prompt, greedy: vocab.decode(greedy.generated), greedyEqualsTfjs: JSON.stringify(Array.from(greedy.generated)) === JSON.stringify(Array.from(tfGreedy).slice(-greedy.generated.length)), sampled: vocab.decode(sampled.generated), tokensPerSecond: sampled.tokensPerSecond });
  log(JSON.stringify(samples.at(-1)));
}
await lm.release();
const report = {
  backend, parameters: model.countParams(), config: { windows: n, epochs: Number(epochs), dim: Number(dim), layers: Number(layers), batchSize, learningRate, dropout: Number(process.env.DROPOUT ?? 0.1) },
  trainSeconds, tokensPerSecond: (n * t * Number(epochs)) / trainSeconds,
  test: { characters: m * t, gptBitsPerChar: gpt.bitsPerToken, gptAccuracy: gpt.accuracy, textCharacters: strided.tokens, gptTextBitsPerChar: strided.bitsPerToken, gptTextAccuracy: strided.accuracy, ngram5BitsPerChar: ngramBits, ngram5TextBitsPerChar: ngramTextBits, ngramK: tuned.k, ngramHeldOutBits: tuned.bits },
  samples,
};
writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
log(JSON.stringify(report.test));
