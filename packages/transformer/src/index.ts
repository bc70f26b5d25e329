/**
 * @neurozoo/transformer: attention-only models trained in Node with tfjs, exported to
 * decomposed opset-17 ONNX (full-sequence graphs and a key/value-cache decode step), and
 * generating with onnxruntime through `@neurozoo/transformer/runtime`.
 * @packageDocumentation
 */
import { registerTransformerConverters } from './layers/index.js';

export * from './layers/index.js';

registerTransformerConverters();
export * from './gpt.js';
export * from './decode.js';
export * from './train.js';
export { type BenchTransformerOptions, type BenchTransformerResult, benchTransformer } from './bench.js';
export { architectures, GPT_MAX_TEST_WINDOWS, GPT_MAX_TRAIN_WINDOWS, generateText, gptArchitecture } from './architectures.js';
export { attentionMapPng, attentionMaps, heatmapPng, inspectAttention } from './inspect.js';
