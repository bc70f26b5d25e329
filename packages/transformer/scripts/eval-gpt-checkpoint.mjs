// Scores a checkpoint of scripts/train-gpt-brown.mjs on the Brown test text (windows overlapping
// by half, as the acceptance run does) beside the character 5-gram on the same characters, to
// follow a long run between epochs. Usage:
// node scripts/eval-gpt-checkpoint.mjs CHECKPOINT.ckpt [DIM] [LAYERS] [CHARACTERS]
import { initBackend, readCheckpoint } from '@neurozoo/core';
import { BROWN_VOCABULARY, brownText, encodeBrown } from '@neurozoo/datasets';
import { buildGpt, CharNgram, evaluateText, lossModel } from '../dist/index.js';

const [path, dim = '128', layers = '2', characters] = process.argv.slice(2);
await initBackend({ backend: 'wasm' });
const model = buildGpt({ vocabSize: 96, contextLength: 64, dim: Number(dim), heads: Math.max(2, Number(dim) / 32), layers: Number(layers), dropout: 0 }, 0);
// The checkpoint holds the weights of the training graph (the GPT inside its loss model).
lossModel(model, { labelSmoothing: 0 }).setWeights((await readCheckpoint(path)).modelWeights);
const text = brownText();
const ids = encodeBrown(text.test);
const scored = ids.subarray(0, characters ? Number(characters) : ids.length);
const gpt = evaluateText(model, scored, 64, 32);
const ngram = new CharNgram(BROWN_VOCABULARY.length, { order: 5, k: 0.03 }).fit(encodeBrown(text.train));
console.log(JSON.stringify({ checkpoint: path, characters: gpt.tokens, gptBitsPerChar: gpt.bitsPerToken, gptAccuracy: gpt.accuracy, ngram5BitsPerChar: ngram.bitsPerToken(scored) }));
