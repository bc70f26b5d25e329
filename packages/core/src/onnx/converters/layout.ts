/**
 * Layout tracking for the convolution converters (conv.ts, pooling.ts, shape2d.ts,
 * conv-followers.ts). tfjs is NHWC, ONNX's Conv/Pool ops are NCHW. Every
 * conv-family converter returns an NHWC value (a Transpose of its NCHW result), so any other
 * converter (core's Flatten, Dense, Add, ...) sees what tfjs sees and the flatten order is
 * tfjs's. Each such NHWC value remembers its NCHW "twin": the next conv-family layer reads the
 * twin directly, and the Transpose nobody reads any more is pruned when the export finishes.
 * So a conv/pool chain has one Transpose in (at the first conv) and one out (before Flatten).
 */
import { OptionError, ShapeError } from '../../errors.js';
import type { OnnxGraph } from '../graph.js';
import type { ConverterContext, TfShape } from '../registry.js';

// Per graph: NHWC value name -> NCHW value name holding the same tensor.
const twins = new WeakMap<OnnxGraph, Map<string, string>>();

function table(graph: OnnxGraph): Map<string, string> {
  let map = twins.get(graph);
  if (!map) twins.set(graph, (map = new Map()));
  return map;
}

/** The NCHW twin of an NHWC value, if one exists. */
export function nchwTwin(ctx: ConverterContext, nhwc: string): string | undefined {
  return table(ctx.graph).get(nhwc);
}

/** The NCHW form of a rank-4 NHWC value: its twin, or a new Transpose (remembered for reuse). */
export function toNchw(ctx: ConverterContext, nhwc: string): string {
  const known = table(ctx.graph).get(nhwc);
  if (known) return known;
  const nchw = ctx.node('Transpose', [nhwc], { perm: [0, 3, 1, 2] });
  table(ctx.graph).set(nhwc, nchw);
  return nchw;
}

/** The NHWC form of an NCHW result, which is remembered as its twin. */
export function fromNchw(ctx: ConverterContext, nchw: string): string {
  const nhwc = ctx.node('Transpose', [nchw], { perm: [0, 2, 3, 1] });
  table(ctx.graph).set(nhwc, nchw);
  return nhwc;
}

/** A context whose `inputs` are replaced (the same graph and helpers), to run a converter on NCHW values. */
export function withInputs(ctx: ConverterContext, inputs: string[]): ConverterContext {
  return Object.create(ctx, { inputs: { value: inputs, enumerable: true } }) as ConverterContext;
}

/** Known [h, w] of an NHWC tfjs shape; throws when they are unknown (conv padding needs them). */
export function spatial(shape: TfShape, layer: string): [number, number] {
  const [, h, w] = shape;
  if (shape.length !== 4 || typeof h !== 'number' || typeof w !== 'number') {
    throw new ShapeError(`Layer '${layer}': ONNX export needs a rank-4 NHWC input with known height and width, got ${JSON.stringify(shape)}.`);
  }
  return [h, w];
}

/** Rejects channelsFirst layers (tfjs cannot run them on its wasm/cpu backends either). */
export function requireChannelsLast(layer: { name: string; dataFormat?: string }): void {
  if (layer.dataFormat === 'channelsFirst') {
    throw new OptionError(`Layer '${layer.name}': dataFormat 'channelsFirst' is not exported; build the model channelsLast (NHWC), the tfjs default.`);
  }
}

/** [a, a] for a number, the pair itself otherwise. */
export const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v, v]);

/**
 * ONNX pads [top, left, bottom, right] of a window (kernel k, stride s, dilation d) over an
 * h x w map: zeros for 'valid'; for 'same' TensorFlow's rule (the odd cell goes after).
 */
export function windowPads(padding: string, [h, w]: [number, number], [kh, kw]: [number, number], [sh, sw]: [number, number], [dh, dw]: [number, number] = [1, 1]): number[] {
  if (padding !== 'same') return [0, 0, 0, 0];
  const total = (n: number, k: number, s: number, d: number) => Math.max((Math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0);
  const th = total(h, kh, sh, dh);
  const tw = total(w, kw, sw, dw);
  return [Math.floor(th / 2), Math.floor(tw / 2), th - Math.floor(th / 2), tw - Math.floor(tw / 2)];
}

/** Activations that act on the last axis (softmax family): applied after the transpose back to NHWC. */
export const isAxisActivation = (name: string) => /softmax/i.test(name);
