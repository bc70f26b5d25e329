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

// The layer classes are the API; their math (ops.ts) and ONNX emitters (emit.ts, *.onnx.ts) are this folder's plumbing.
export { type AttentionOptions, type AttentionSpec, type AttentionWeights, MultiHeadAttention, type MultiHeadAttentionArgs } from './attention.js';
export { type BlockArgs, type FeedForwardWeights, type NormWeights, TransformerBlock, TransformerDecoderBlock, TransformerEncoderBlock } from './blocks.js';
export { MaskedAveragePooling, MaskedMaxPooling, PaddingMask, SequenceCrossEntropy, type SequenceCrossEntropyArgs, tokenCrossEntropy } from './masking.js';
export { LayerNorm } from './norm.js';
export { PositionEmbedding, type PositionalArgs, SinusoidalPositionEncoding, TokenAndPositionEmbedding, type TokenAndPositionArgs } from './positional.js';
export { type FeedForwardActivation, gelu } from './ops.js';

/** The converters of every transformer layer, by tfjs class. */
export const TRANSFORMER_CONVERTERS: Readonly<Record<string, LayerConverter>> = Object.fromEntries([
  ...attention,
  ...blocks,
  ...masking,
  ...norm,
  ...positional,
]);
