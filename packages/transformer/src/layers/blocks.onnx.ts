/**
 * ONNX converters of the transformer blocks, and the block emitters the decode-step graph
 * reuses with a key/value cache (`past` in, `present` out).
 */
import type { LayerConverter, OnnxGraph } from '@neurozoo/core';
import type { TransformerBlock, TransformerDecoderBlock, TransformerEncoderBlock } from './blocks.js';
import { emitActivation, emitAttention, emitLayerNorm, emitLinear, type KeyValue } from './emit.js';

/** This file's converters by tfjs layer class. */
export const converters = new Map<string, LayerConverter>();

function emitNorm(g: OnnxGraph, block: TransformerBlock, x: string, i: number): string {
  return emitLayerNorm(g, x, block.norms[i].gamma, block.norms[i].beta, block.epsilon);
}

/** Pre-LN x + f(LN(x)) or post-LN LN(x + f(x)); dropout is a no-op at inference. */
function emitResidual(g: OnnxGraph, block: TransformerBlock, x: string, i: number, f: (y: string) => string): string {
  if (block.normFirst) return g.node('Add', [x, f(emitNorm(g, block, x, i))]);
  return emitNorm(g, block, g.node('Add', [x, f(x)]), i);
}

function emitFeedForward(g: OnnxGraph, block: TransformerBlock, x: string): string {
  const hidden = emitActivation(g, emitLinear(g, x, block.ff.inner, block.ff.innerBias), block.activation);
  return emitLinear(g, hidden, block.ff.outer, block.ff.outerBias);
}

/** An encoder block on `x` with an optional key mask and self-attention cache; returns the output and the present cache. */
export function emitEncoderBlock(g: OnnxGraph, block: TransformerEncoderBlock, x: string, mask: string | null, past: KeyValue | null): { output: string } & KeyValue {
  let present: KeyValue = { key: '', value: '' };
  const h = emitResidual(g, block, x, 0, (y) => {
    const r = emitAttention(g, block.attention, block.spec, { query: y, value: y, mask, past });
    present = { key: r.key, value: r.value };
    return r.output;
  });
  return { output: emitResidual(g, block, h, 1, (y) => emitFeedForward(g, block, y)), ...present };
}

/**
 * A decoder block. `past` is the self-attention cache; `cross` holds the projected encoder keys
 * and values when decoding (else they are projected from `memory`). Returns the output, the
 * present self-attention cache, and the cross-attention keys/values used.
 */
export function emitDecoderBlock(
  g: OnnxGraph,
  block: TransformerDecoderBlock,
  x: string,
  memory: string,
  memoryMask: string | null,
  past: KeyValue | null,
  cross: KeyValue | null,
): { output: string; present: KeyValue; cross: KeyValue } {
  let present: KeyValue = { key: '', value: '' };
  let used: KeyValue = { key: '', value: '' };
  const h1 = emitResidual(g, block, x, 0, (y) => {
    const r = emitAttention(g, block.selfAttention, block.spec, { query: y, value: y, past });
    present = { key: r.key, value: r.value };
    return r.output;
  });
  const h2 = emitResidual(g, block, h1, 1, (y) => {
    const r = emitAttention(g, block.crossAttention, block.crossSpec, { query: y, value: memory, mask: memoryMask, fixed: cross });
    used = { key: r.key, value: r.value };
    return r.output;
  });
  return { output: emitResidual(g, block, h2, 2, (y) => emitFeedForward(g, block, y)), present, cross: used };
}

converters.set('TransformerEncoderBlock', (layer, ctx) =>
  emitEncoderBlock(ctx.graph, layer as unknown as TransformerEncoderBlock, ctx.inputs[0], ctx.inputs[1] ?? null, null).output,
);

converters.set('TransformerDecoderBlock', (layer, ctx) =>
  emitDecoderBlock(ctx.graph, layer as unknown as TransformerDecoderBlock, ctx.inputs[0], ctx.inputs[1], ctx.inputs[2] ?? null, null, null).output,
);
