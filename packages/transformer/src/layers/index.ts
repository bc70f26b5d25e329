/**
 * The transformer layers and their ONNX converters, collected in one record the package index
 * registers with core's registry.
 */
import type { LayerConverter } from '@neurozoo/core';
import { converters as attention } from './attention.onnx.js';
import { converters as blocks } from './blocks.onnx.js';
import { converters as masking } from './masking.onnx.js';
import { converters as norm } from './norm.onnx.js';
import { converters as positional } from './positional.onnx.js';

export * from './attention.js';
export * from './blocks.js';
export * from './masking.js';
export * from './norm.js';
export * from './positional.js';
export { emitDecoderBlock, emitEncoderBlock } from './blocks.onnx.js';
export { emitAttention, emitDim, emitKeyValue, emitLayerNorm, emitLinear, type KeyValue } from './emit.js';
export { emitPaddingMask } from './masking.onnx.js';
export { emitTokenAndPosition } from './positional.onnx.js';
export { type FeedForwardActivation, gelu, MASK_VALUE } from './ops.js';

/** The converters of every transformer layer, by tfjs class. */
export const TRANSFORMER_CONVERTERS: Readonly<Record<string, LayerConverter>> = Object.fromEntries([
  ...attention,
  ...blocks,
  ...masking,
  ...norm,
  ...positional,
]);
