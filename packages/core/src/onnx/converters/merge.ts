/**
 * Merge layers: Concatenate, Add, Multiply, Average, Maximum, Minimum, Dot.
 * Inputs of lower rank are expanded at axis 1 first, as tfjs's Merge.call does, then ONNX
 * broadcasting (numpy rules, like tfjs) does the rest.
 */
import { ShapeError } from '../../errors.js';
import type { ConverterContext, LayerConverter } from '../registry.js';

/** This file's converters by tfjs layer class; the registry adds them on first use. */
export const converters = new Map<string, LayerConverter>();

/** The inputs, each expanded at axis 1 up to the highest input rank. */
function sameRank(ctx: ConverterContext): string[] {
  const ranks = ctx.inputShapes.map((s) => s.length);
  const max = Math.max(...ranks);
  return ctx.inputs.map((x, i) =>
    ranks[i] === max ? x : ctx.node('Unsqueeze', [x, ctx.constantInt64(Array.from({ length: max - ranks[i] }, () => 1))]),
  );
}

/** Folds the inputs left to right with a binary op, like the tfjs merge functions. */
function fold(ctx: ConverterContext, op: (a: string, b: string) => string): string {
  const xs = sameRank(ctx);
  return xs.slice(1).reduce(op, xs[0]);
}

converters.set('Add', (_l, ctx) => fold(ctx, (a, b) => ctx.node('Add', [a, b])));
// tfjs-layers 4.22 has no Subtract layer; a family that defines one can register 'Sub' itself.
converters.set('Multiply', (_l, ctx) => fold(ctx, (a, b) => ctx.node('Mul', [a, b])));
converters.set('Average', (_l, ctx) => {
  const sum = fold(ctx, (a, b) => ctx.node('Add', [a, b]));
  return ctx.node('Mul', [sum, ctx.constantFloat([1 / ctx.inputs.length])]);
});
// Where(Greater(a, b), a, b) instead of Max/Min: exact, and the WebGPU EP lacks Max and Min.
converters.set('Maximum', (_l, ctx) => fold(ctx, (a, b) => ctx.node('Where', [ctx.node('Greater', [a, b]), a, b])));
converters.set('Minimum', (_l, ctx) => fold(ctx, (a, b) => ctx.node('Where', [ctx.node('Less', [a, b]), a, b])));

// tfjs's K.concatenate treats every negative axis as the last one (-2 included); mirror it.
converters.set('Concatenate', (layer, ctx) => {
  const axis = (layer as unknown as { axis?: number }).axis ?? -1;
  return ctx.node('Concat', [...ctx.inputs], { axis: axis < 0 ? -1 : axis });
});

/** tfjs l2Normalize: x / sqrt(max(sum(x^2, axis), eps)); eps = 1e-7 (float32 backends). */
function l2Normalize(ctx: ConverterContext, x: string, axis: number): string {
  const sumSq = ctx.graph.reduce('ReduceSum', ctx.node('Mul', [x, x]), [axis]);
  const norm = ctx.node('Sqrt', [ctx.node('Clip', [sumSq, ctx.constantFloat([1e-7])])]);
  return ctx.node('Div', [x, norm]);
}

const swapLast = (ctx: ConverterContext, x: string) => ctx.node('Transpose', [x], { perm: [0, 2, 1] });

// Follows tfjs-layers' batchDot (ranks 2 and 3 only, as tfjs itself).
converters.set('Dot', (layer, ctx) => {
  const { axes, normalize } = layer as unknown as { axes: number | [number, number]; normalize: boolean };
  const [rx, ry] = ctx.inputShapes.map((s) => s.length);
  const raw = Array.isArray(axes) ? axes : [axes, axes];
  const [ax, ay] = [raw[0] < 0 ? raw[0] + rx : raw[0], raw[1] < 0 ? raw[1] + ry : raw[1]];
  let [x, y] = ctx.inputs;
  if (normalize) {
    x = l2Normalize(ctx, x, ax);
    y = l2Normalize(ctx, y, ay);
  }
  if (rx === 2 && ry === 2) {
    if (ax !== 1 || ay !== 1) throw new ShapeError(`Layer '${layer.name}': Dot of two rank-2 inputs must use axes 1, got [${ax}, ${ay}].`);
    return ctx.graph.reduce('ReduceSum', ctx.node('Mul', [x, y]), [1], true);
  }
  if (rx > 3 || ry > 3) throw new ShapeError(`Layer '${layer.name}': Dot supports inputs of rank 2 and 3 only, as tfjs does.`);
  // Pad the lower-rank input with trailing 1s, matMul (transposing as batchDot does), then squeeze.
  const diff = Math.abs(rx - ry);
  if (rx < ry) x = ctx.node('Unsqueeze', [x, ctx.constantInt64([rx])]);
  if (ry < rx) y = ctx.node('Unsqueeze', [y, ctx.constantInt64([ry])]);
  const rank = Math.max(rx, ry);
  if (ax !== rank - 1) x = swapLast(ctx, x);
  if (ay === rank - 1) y = swapLast(ctx, y);
  let out = ctx.node('MatMul', [x, y]);
  let outRank = rank;
  if (diff > 0) {
    const idx = rx > ry ? rx + ry - 3 : rx - 1;
    out = ctx.node('Squeeze', [out, ctx.constantInt64([idx])]);
    outRank -= 1;
  }
  if (outRank === 1) out = ctx.node('Unsqueeze', [out, ctx.constantInt64([1])]);
  return out;
});
