/**
 * The transformer layers and the registration of their ONNX converters with core's registry
 * (called from the package index; idempotent across the ESM and CJS builds).
 */
import { registerConverter } from '@neurozoo/core';
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

const DONE = Symbol.for('neurozoo.transformer.converters');
const flags = globalThis as { [DONE]?: string[] };

/** Registers the converters of every transformer layer; returns the classes covered. */
export function registerTransformerConverters(): string[] {
  if (flags[DONE]) return flags[DONE];
  const all = new Map([...attention, ...blocks, ...masking, ...norm, ...positional]);
  for (const [name, converter] of all) registerConverter(name, converter);
  flags[DONE] = [...all.keys()].sort();
  return flags[DONE];
}
