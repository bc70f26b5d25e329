/**
 * Fast paths for the cpu backend's Slice, SplitV, Tile, GatherV2, Reverse, UnsortedSegmentSum,
 * Unpack, PadV2, Concat and Softmax, which dominate recurrent
 * and attention steps once the matmuls are native. The cpu versions visit every element
 * through coordinate arrays (`indexToLoc`, `buffer.get(...loc)`; tf.profile of an LSTM(128)
 * step, seq 32, batch 32: SplitV of the gates 1.6 s of a 2.3 s step), and Softmax runs five
 * generic kernels. Here: contiguous runs copied with `set`, softmax rows in C++ (csrc/reduce.cc).
 * Numeric dtypes only (strings and complex go to the original kernel).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { type CpuBackend, f32, fastPath, sizeOf, type Tf } from './util.js';

type Original = Record<string, tfjs.KernelConfig>;
type Values = Float32Array | Int32Array | Uint8Array;

/** The tensor's typed array when it is numeric storage, else null (then fall back). */
function numeric(backend: CpuBackend, t: tfjs.TensorInfo): Values | null {
  if (t.dtype === 'string' || t.dtype === 'complex64') return null;
  const v = backend.data.get(t.dataId).values;
  return v instanceof Float32Array || v instanceof Int32Array || v instanceof Uint8Array ? v : null;
}

const alloc = (like: Values, n: number): Values => new (like.constructor as new (n: number) => Values)(n);

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * x[begin : begin + size] of a tensor of `shape`: trailing axes taken whole merge into one
 * contiguous run, copied once per position of the axes before it.
 */
export function sliceValues(x: Values, shape: readonly number[], begin: readonly number[], size: readonly number[]): Values {
  const out = alloc(x, sizeOf(size));
  if (out.length === 0) return out;
  const strides = stridesOf(shape);
  let k = shape.length - 1;
  while (k > 0 && begin[k] === 0 && size[k] === shape[k]) k--;
  const run = size[k] * strides[k];
  let base = 0;
  for (let i = 0; i <= k; i++) base += begin[i] * strides[i];
  const idx = new Array<number>(k).fill(0);
  for (let o = 0; o < out.length; o += run) {
    out.set(x.subarray(base, base + run), o);
    for (let d = k - 1; d >= 0; d--) {
      base += strides[d];
      if (++idx[d] < size[d]) break;
      base -= strides[d] * size[d];
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * x reversed along `axes`: trailing axes that are not reversed form one contiguous run,
 * copied with `set` (a reversed last axis is copied element by element); an odometer walks
 * the axes before it. The cpu kernel maps every element through coordinates (~48 ms for the
 * [32, 32, 64] output a Bidirectional layer reverses each step).
 */
function reverseValues(x: Values, shape: readonly number[], axes: readonly number[]): Values {
  const r = shape.length;
  const out = alloc(x, x.length);
  if (x.length === 0) return out;
  const flip = shape.map((_d, i) => axes.includes(i) && shape[i] > 1);
  let split = r;
  while (split > 0 && !flip[split - 1]) split--;
  const run = sizeOf(shape.slice(split));
  const strides = stridesOf(shape);
  const lead = shape.slice(0, split);
  const idx = new Array<number>(split).fill(0);
  for (let o = 0; o < x.length; o += run) {
    let from = 0;
    for (let d = 0; d < split; d++) from += (flip[d] ? lead[d] - 1 - idx[d] : idx[d]) * strides[d];
    if (run === 1) out[o] = x[from];
    else out.set(x.subarray(from, from + run), o);
    for (let d = split - 1; d >= 0; d--) {
      if (++idx[d] < lead[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** x padded with `value`: x's rows of the last axis copied into place, an odometer above. */
function padValues(x: Values, shape: readonly number[], pads: readonly (readonly [number, number])[], value: number): Values {
  const r = shape.length;
  const outShape = shape.map((d, i) => d + pads[i][0] + pads[i][1]);
  const out = alloc(x, sizeOf(outShape));
  if (value !== 0) out.fill(value);
  if (x.length === 0) return out;
  const outStrides = stridesOf(outShape);
  const row = shape[r - 1];
  const lead = shape.slice(0, r - 1);
  const idx = new Array<number>(r - 1).fill(0);
  for (let i = 0; i < x.length; i += row) {
    let to = pads[r - 1][0];
    for (let d = 0; d < r - 1; d++) to += (idx[d] + pads[d][0]) * outStrides[d];
    out.set(x.subarray(i, i + row), to);
    for (let d = r - 2; d >= 0; d--) {
      if (++idx[d] < lead[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** Inputs joined along `axis`: per position before the axis, each input's run in turn. */
function concatValues(xs: readonly Values[], shapes: readonly (readonly number[])[], axis: number): Values {
  const outer = sizeOf(shapes[0].slice(0, axis));
  const runs = shapes.map((sh) => sizeOf(sh.slice(axis)));
  const total = runs.reduce((a, b) => a + b, 0);
  const out = alloc(xs[0], outer * total);
  let o = 0;
  for (let a = 0; a < outer; a++) {
    for (let k = 0; k < xs.length; k++) {
      const n = runs[k];
      out.set(xs[k].subarray(a * n, a * n + n), o);
      o += n;
    }
  }
  return out;
}

/** x tiled `reps` times along each axis: rows of the last axis repeated, an odometer above. */
export function tileValues(x: Values, shape: readonly number[], reps: readonly number[]): Values {
  const r = shape.length;
  const outShape = shape.map((d, i) => d * reps[i]);
  const out = alloc(x, sizeOf(outShape));
  if (out.length === 0) return out;
  const strides = stridesOf(shape);
  const row = shape[r - 1];
  const idx = new Array<number>(r - 1).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; ) {
    const line = x.subarray(src, src + row);
    for (let t = 0; t < reps[r - 1]; t++, o += row) out.set(line, o);
    for (let d = r - 2; d >= 0; d--) {
      idx[d]++;
      // The source index along d is idx[d] % shape[d].
      if (idx[d] % shape[d] === 0) src -= strides[d] * (shape[d] - 1);
      else src += strides[d];
      if (idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * x gathered along `axis` by `indices`: x viewed as [outer, n, inner], each index copies a
 * run of `inner` values (the cpu kernel maps every element through coordinates: 8.8 ms for
 * 128 MNIST rows, the batch of every training step). Null when an index is out of range.
 */
function gatherValues(x: Values, shape: readonly number[], axis: number, indices: Values): Values | null {
  const n = shape[axis];
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  for (let k = 0; k < indices.length; k++) if (indices[k] < 0 || indices[k] >= n) return null;
  const out = alloc(x, outer * indices.length * inner);
  let o = 0;
  if (inner === 1) {
    for (let a = 0; a < outer; a++) for (let k = 0; k < indices.length; k++) out[o++] = x[a * n + indices[k]];
    return out;
  }
  for (let a = 0; a < outer; a++) {
    for (let k = 0; k < indices.length; k++, o += inner) {
      const from = (a * n + indices[k]) * inner;
      out.set(x.subarray(from, from + inner), o);
    }
  }
  return out;
}

const make = (backend: CpuBackend, shape: number[], dtype: string, values: Values): tfjs.TensorInfo =>
  backend.makeTensorInfo(shape, dtype, values as Float32Array);

/** Slice, SplitV, Tile and Softmax configs for `backendName`. */
export function sliceConfigs(tf: Tf, addon: NativeAddon, originals: Original, backendName: string): tfjs.KernelConfig[] {
  /** A kernel over one numeric input `x` of rank >= 1 (else the original kernel), given its values and attrs. */
  const onX = <A>(kernelName: string, run: (x: tfjs.TensorInfo, xv: Values, attrs: A, backend: CpuBackend) => tfjs.TensorInfo | tfjs.TensorInfo[]) =>
    fastPath(kernelName, backendName, originals, (args, backend) => {
      const { x } = args.inputs as { x: tfjs.TensorInfo };
      const xv = numeric(backend, x);
      if (xv == null || x.shape.length === 0) return null;
      return run(x, xv, args.attrs as unknown as A, backend);
    });
  const slice = onX<tfjs.SliceAttrs>(tf.Slice, (x, xv, { begin, size }, backend) => {
    const [b, s] = tf.slice_util.parseSliceParams(x as tfjs.Tensor, begin, size);
    tf.slice_util.assertParamsValid(x as tfjs.Tensor, b, s);
    return make(backend, s, x.dtype, sliceValues(xv, x.shape, b, s));
  });
  const splitV = onX<tfjs.SplitVAttrs>(tf.SplitV, (x, xv, { numOrSizeSplits, axis }, backend) => {
    const ax = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as tfjs.Tensor, numOrSizeSplits, ax);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((n) => {
      const size = [...x.shape];
      size[ax] = n;
      const out = make(backend, size, x.dtype, sliceValues(xv, x.shape, begin, size));
      begin[ax] += n;
      return out;
    });
  });
  const tile = fastPath(tf.Tile, backendName, originals, (args, backend) => {
    const { x } = args.inputs as { x: tfjs.TensorInfo };
    const { reps } = args.attrs as unknown as tfjs.TileAttrs;
    const xv = numeric(backend, x);
    if (xv == null || x.shape.length === 0 || reps.length !== x.shape.length) return null;
    return make(backend, x.shape.map((d, i) => d * reps[i]), x.dtype, tileValues(xv, x.shape, reps));
  });
  const softmax = fastPath(tf.Softmax, backendName, originals, (args, backend) => {
    const { logits } = args.inputs as { logits: tfjs.TensorInfo };
    const { dim } = args.attrs as unknown as tfjs.SoftmaxAttrs;
    const xv = f32(backend, logits);
    const r = logits.shape.length;
    if (xv == null || r === 0 || (dim !== -1 && dim !== r - 1)) return null;
    const n = logits.shape[r - 1];
    const out = new Float32Array(xv.length);
    if (n > 0) addon.softmax(xv, out, Int32Array.of(xv.length / n, n));
    return make(backend, [...logits.shape], 'float32', out);
  });
  const gather = fastPath(tf.GatherV2, backendName, originals, (args, backend) => {
    const { x, indices } = args.inputs as { x: tfjs.TensorInfo; indices: tfjs.TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as tfjs.GatherV2Attrs;
    const xv = numeric(backend, x);
    const iv = numeric(backend, indices);
    if (xv == null || iv == null || batchDims !== 0 || indices.dtype !== 'int32') return null;
    const ax = tf.util.parseAxisParam(axis, x.shape)[0];
    const out = gatherValues(xv, x.shape, ax, iv);
    // An index out of range: the original kernel throws tfjs's own message.
    if (out == null) return null;
    return make(backend, [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)], x.dtype, out);
  });
  const reverse = onX<tfjs.ReverseAttrs>(tf.Reverse, (x, xv, { dims }, backend) => {
    const axes = tf.util.parseAxisParam(dims, x.shape);
    return make(backend, [...x.shape], x.dtype, reverseValues(xv, x.shape, axes));
  });
  // Gather's gradient (every Embedding layer). The cpu kernel builds a mask and a sum per
  // segment: a 5000-word embedding's gradient took ~58 s a step; here one pass over x.
  const segmentSum = fastPath(tf.UnsortedSegmentSum, backendName, originals, (args, backend) => {
    const { x, segmentIds } = args.inputs as { x: tfjs.TensorInfo; segmentIds: tfjs.TensorInfo };
    const { numSegments } = args.attrs as unknown as tfjs.UnsortedSegmentSumAttrs;
    const xv = f32(backend, x);
    const ids = numeric(backend, segmentIds);
    if (xv == null || ids == null || segmentIds.dtype !== 'int32') return null;
    const rest = x.shape.slice(segmentIds.shape.length);
    const inner = sizeOf(rest);
    const out = new Float32Array(numSegments * inner);
    // Ids outside [0, numSegments) are dropped, as on the cpu backend.
    for (let i = 0; i < ids.length; i++) {
      const seg = ids[i];
      if (seg < 0 || seg >= numSegments) continue;
      const to = seg * inner;
      const from = i * inner;
      for (let k = 0; k < inner; k++) out[to + k] += xv[from + k];
    }
    return make(backend, [numSegments, ...rest], 'float32', out);
  });
  // The cpu kernels visit every element through coordinates (Unpack of [32, 16, 16, 32] along
  // axis 1: 243 ms; PadV2 33 ms; Concat 4 ms for two 1 MB inputs); here contiguous runs.
  const unpack = fastPath(tf.Unpack, backendName, originals, (args, backend) => {
    const { value } = args.inputs as { value: tfjs.TensorInfo };
    const xv = numeric(backend, value);
    if (xv == null) return null;
    const ax = tf.util.parseAxisParam((args.attrs as unknown as tfjs.UnpackAttrs).axis, value.shape)[0];
    const size = [...value.shape];
    size[ax] = 1;
    const outShape = value.shape.filter((_d, i) => i !== ax);
    return Array.from({ length: value.shape[ax] }, (_v, k) => {
      const begin = value.shape.map((_d, i) => (i === ax ? k : 0));
      return make(backend, outShape, value.dtype, sliceValues(xv, value.shape, begin, size));
    });
  });
  const pad = onX<tfjs.PadV2Attrs>(tf.PadV2, (x, xv, { paddings, constantValue }, backend) => {
    const outShape = x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
    return make(backend, outShape, x.dtype, padValues(xv, x.shape, paddings as [number, number][], constantValue));
  });
  const concat = fastPath(tf.Concat, backendName, originals, (args, backend) => {
    const infos = Object.values(args.inputs) as tfjs.TensorInfo[];
    const values = infos.map((t) => numeric(backend, t));
    if (infos.length === 0 || values.some((v) => v == null) || infos.some((t) => t.dtype !== infos[0].dtype || t.shape.length === 0)) return null;
    if (values.some((v) => (v as Values).constructor !== (values[0] as Values).constructor)) return null;
    const ax = tf.util.parseAxisParam((args.attrs as unknown as tfjs.ConcatAttrs).axis, infos[0].shape)[0];
    const outShape = tf.backend_util.computeOutShape(infos.map((t) => t.shape), ax);
    return make(backend, outShape, infos[0].dtype, concatValues(values as Values[], infos.map((t) => t.shape), ax));
  });
  return [slice, splitV, tile, softmax, gather, reverse, segmentSum, unpack, pad, concat];
}
