/**
 * ONNX emitters shared by the converters and the decode-step graph: the ops of `ops.ts` written
 * as standard opset-17 nodes (MatMul, Softmax, LayerNormalization, Slice, ...). No Trilu,
 * ConstantOfShape, Max/Min, Attention or contrib ops: the causal mask is an initializer sliced
 * to the sequence, so the graphs run on onnxruntime's CPU, CUDA, wasm and WebGPU providers.
 */
import type { OnnxGraph, WeightLike } from '@neurozoo/core';
import type { AttentionSpec, AttentionWeights } from './attention.js';
import { type FeedForwardActivation, MASK_VALUE } from './ops.js';

/** x · kernel + bias. */
export function emitLinear(g: OnnxGraph, x: string, kernel: WeightLike, bias?: WeightLike | null): string {
  const y = g.node('MatMul', [x, g.initializer(kernel)]);
  return bias ? g.node('Add', [y, g.initializer(bias)]) : y;
}

/** LayerNormalization-17 over the last axis. */
export function emitLayerNorm(g: OnnxGraph, x: string, gamma: WeightLike, beta: WeightLike, epsilon: number): string {
  return g.node('LayerNormalization', [x, g.initializer(gamma), g.initializer(beta)], { axis: -1, epsilon: { float: epsilon } });
}

/** GELU (tanh form, as ops.gelu) or ReLU. */
export function emitActivation(g: OnnxGraph, x: string, activation: FeedForwardActivation): string {
  if (activation === 'relu') return g.node('Relu', [x]);
  const cube = g.node('Mul', [g.node('Mul', [x, x]), x]);
  const inner = g.node('Mul', [g.node('Add', [x, g.node('Mul', [cube, g.constantFloat([0.044715])])]), g.constantFloat([Math.sqrt(2 / Math.PI)])]);
  return g.node('Mul', [g.node('Mul', [x, g.constantFloat([0.5])]), g.node('Add', [g.node('Tanh', [inner]), g.constantFloat([1])])]);
}

/** Size of axis `axis` of `x` as an int64 [1] tensor (Shape-15 with start/end). */
export function emitDim(g: OnnxGraph, x: string, axis: number): string {
  return g.node('Shape', [x], { start: axis, end: axis + 1 });
}

/** Largest int64: a Slice end meaning "to the end of the axis". */
const INT64_MAX = 9223372036854775807n;

/**
 * Rows [from, from + count) of a [rows, ...] initializer; `from` (null = 0) and `count` are int64
 * [1] values, typically Shape outputs. Written as two single-axis Slices (rows from `from` to the
 * end, then the first `count` of them) so that Shape outputs feed Slice starts/ends directly: no
 * int64 arithmetic between them, which onnxruntime would place on the CPU as shape computation.
 */
export function emitRows(g: OnnxGraph, table: string, from: string | null, count: string): string {
  const zero = g.constantInt64([0]);
  const rest = from ? g.node('Slice', [table, from, g.constantInt64(BigInt64Array.of(INT64_MAX)), zero]) : table;
  return g.node('Slice', [rest, zero, count, zero]);
}

const causalTables = new WeakMap<OnnxGraph, Map<number, string>>();

/** The [L, L] causal bias initializer (0 on and below the diagonal, MASK_VALUE above), once per graph and size. */
function causalTable(g: OnnxGraph, maxLength: number): string {
  const byLength = causalTables.get(g) ?? new Map<number, string>();
  causalTables.set(g, byLength);
  const known = byLength.get(maxLength);
  if (known) return known;
  const data = new Float32Array(maxLength * maxLength);
  for (let i = 0; i < maxLength; i++) for (let j = i + 1; j < maxLength; j++) data[i * maxLength + j] = MASK_VALUE;
  const name = g.initializer(data, [maxLength, maxLength], `causal_mask_${maxLength}`);
  byLength.set(maxLength, name);
  return name;
}

/** [b, T, H*d] -> [b, H, T, d]. */
function splitHeads(g: OnnxGraph, x: string, heads: number, dim: number): string {
  return g.node('Transpose', [g.node('Reshape', [x, g.constantInt64([0, 0, heads, dim])])], { perm: [0, 2, 1, 3] });
}

/** Cached keys and values of one attention sublayer, [b, H, P, d] each. */
export interface KeyValue {
  key: string;
  value: string;
}

/**
 * The keys and values [b, H, T, d] an attention sublayer projects from `x` [b, T, d]: what a
 * decoder caches (self-attention), or what an encoder graph precomputes for cross-attention.
 */
export function emitKeyValue(g: OnnxGraph, w: AttentionWeights, s: AttentionSpec, x: string): KeyValue {
  return {
    key: splitHeads(g, emitLinear(g, x, w.key, w.keyBias), s.numHeads, s.keyDim),
    value: splitHeads(g, emitLinear(g, x, w.value, w.valueBias), s.numHeads, s.valueDim),
  };
}

/** Inputs of {@link emitAttention} besides the weights. */
export interface AttentionCall {
  query: string;
  value: string;
  /** Key mask [b, Tk] (1 = attend), or null. */
  mask?: string | null;
  /** Keys and values of earlier positions (self-attention decoding), concatenated before the new ones. */
  past?: KeyValue | null;
  /** Precomputed keys/values to attend over instead of projecting `value` (cross-attention decoding). */
  fixed?: KeyValue | null;
}

/**
 * Multi-head attention as MatMul/Softmax. Returns the output [b, Tq, out] and the keys and values
 * it attended over ([b, H, P + Tk, d]: the `present` cache for the next decode step).
 */
export function emitAttention(g: OnnxGraph, w: AttentionWeights, s: AttentionSpec, call: AttentionCall): { output: string } & KeyValue {
  const q = splitHeads(g, emitLinear(g, call.query, w.query, w.queryBias), s.numHeads, s.keyDim);
  let { key, value } = call.fixed ?? emitKeyValue(g, w, s, call.value);
  if (call.past) {
    key = g.node('Concat', [call.past.key, key], { axis: 2 });
    value = g.node('Concat', [call.past.value, value], { axis: 2 });
  }
  const kT = g.node('Transpose', [key], { perm: [0, 1, 3, 2] });
  let scores = g.node('Mul', [g.node('MatMul', [q, kT]), g.constantFloat([1 / Math.sqrt(s.keyDim)])]);
  if (s.causal) {
    // Queries are the newest Tq of Tk positions: rows [P, Tk), columns [0, Tk) of the table (P =
    // cache length, 0 without one). Each bound is a Shape output fed straight into a single-axis
    // Slice (no Sub/Concat on shapes, which onnxruntime puts on the CPU), and of a value no
    // Transpose produced (ORT rewrites Shape(Transpose) into Shape + Gather, also on the CPU).
    const tk = call.past ? emitDim(g, key, 2) : call.fixed ? emitDim(g, call.fixed.key, 2) : emitDim(g, call.value, 1);
    const zero = g.constantInt64([0]);
    const rowsFrom = call.past ? emitDim(g, call.past.key, 2) : zero;
    const rows = g.node('Slice', [causalTable(g, s.maxLength), rowsFrom, tk, zero]);
    const bias = g.node('Slice', [rows, zero, tk, g.constantInt64([1])]);
    scores = g.node('Add', [scores, bias]);
  }
  if (call.mask) {
    const bias = g.node('Mul', [g.node('Sub', [g.constantFloat([1]), call.mask]), g.constantFloat([MASK_VALUE])]);
    scores = g.node('Add', [scores, g.node('Reshape', [bias, g.constantInt64([0, 1, 1, -1])])]);
  }
  const probs = g.node('Softmax', [scores], { axis: -1 });
  const context = g.node('Transpose', [g.node('MatMul', [probs, value])], { perm: [0, 2, 1, 3] });
  const merged = g.node('Reshape', [context, g.constantInt64([0, 0, s.numHeads * s.valueDim])]);
  return { output: emitLinear(g, merged, w.output, w.outputBias), key, value };
}
