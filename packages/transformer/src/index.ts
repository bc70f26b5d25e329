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
export * from './builders/index.js';
export * from './train/index.js';
export * from './export.js';
export { CharNgram, type CharNgramOptions, tuneAddK } from './ngram.js';
export { type BenchTransformerOptions, type BenchTransformerResult, benchTransformer } from './bench.js';
export * from './architectures/index.js';
export { attentionMapPng, attentionMaps, crossAttentionMaps, heatmapPng, inspectAttention } from './inspect.js';
