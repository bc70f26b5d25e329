/**
 * @neurozoo/transformer: attention-only models trained in Node with tfjs, exported to
 * decomposed opset-17 ONNX (full-sequence graphs and a key/value-cache decode step), and
 * generating with onnxruntime through `@neurozoo/transformer/runtime`.
 * @packageDocumentation
 */
import { registerConverters } from '@neurozoo/core';
import { TRANSFORMER_CONVERTERS } from './layers/index.js';

// Module code, not a side-effect import ("sideEffects" in package.json lists this file).
registerConverters(TRANSFORMER_CONVERTERS);

export * from './layers/index.js';
export * from './gpt.js';
export * from './decode.js';
export * from './train.js';
export * from './seq2seq.js';
export * from './seq2seq-export.js';
export * from './seq2seq-train.js';
export * from './g2p.js';
export * from './classifier.js';
export { CharNgram, type CharNgramOptions, tuneAddK } from './ngram.js';
export { type BenchTransformerOptions, type BenchTransformerResult, benchTransformer } from './bench.js';
export { architectures, GPT_MAX_TEST_WINDOWS, GPT_MAX_TRAIN_WINDOWS, generateText, gptArchitecture } from './architectures.js';
export { G2P_BEAM_TEST_WORDS, G2P_TRANSFORMER_CONFIG, g2pArchitecture, g2pPairsOf, inspectG2P, predictG2P } from './g2p-architecture.js';
export { attentionMapPng, attentionMaps, crossAttentionMaps, heatmapPng, inspectAttention } from './inspect.js';
