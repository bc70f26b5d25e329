/**
 * Helpers shared by the wasm training kernels. The kernels are written with tfjs ops so
 * that every intermediate stays in wasm memory and runs on XNNPACK-backed kernels.
 */

import { BackendError } from '../../errors.js';
import { tf } from '../../tf.js';

/** The parts of tfjs-backend-wasm's BackendWasm that kernels working on its heap use. */
export interface WasmHeap {
  /** Allocates an output (may grow the heap, which detaches views taken before). */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** [top, bottom, left, right] padding; negative entries mean cropping. */
export type Pads = [number, number, number, number];

/** The explicit padding form that tf.conv2d / tf.depthwiseConv2d accept. */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/**
 * Wraps a kernel input as a Tensor so ops can consume it. Engine-created inputs already
 * are Tensors; a bare TensorInfo (a kernel called by another kernel) gets its own
 * reference, which the enclosing tidy releases.
 */
export function asTensor<T extends tf.Tensor>(info: tf.TensorInfo | undefined, backend: unknown): T {
  if (info === undefined) throw new BackendError('A wasm training kernel was called without a required input.');
  if (info instanceof tf.Tensor) return info as T;
  (backend as tf.KernelBackend).incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info, backend as tf.KernelBackend) as T;
}

/** Normalises a `number | [number, number]` stride or dilation attribute. */
export function pair(v: number | [number, number] | undefined | null): [number, number] {
  if (v == null) return [1, 1];
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/** Attrs both depthwise gradient kernels share. */
type DepthwiseGradAttrs = Pick<tf.DepthwiseConv2dNativeBackpropInputAttrs, 'strides' | 'dilations' | 'pad' | 'dimRoundingMode'>;

/** tfjs's Conv2DInfo of a depthwise gradient (NHWC) for input shape `x` and filter shape `filter`. */
export function depthwiseInfo(attrs: DepthwiseGradAttrs, x: number[], filter: number[]): tf.backend_util.Conv2DInfo {
  const { strides, dilations, pad, dimRoundingMode } = attrs;
  const shape = (s: number[]) => s as [number, number, number, number];
  return tf.backend_util.computeConv2DInfo(shape(x), shape(filter), strides, pair(dilations), pad, dimRoundingMode, true);
}

/**
 * Applies [top, bottom, left, right] pads to an NHWC tensor's spatial dims: negative pads
 * are cropped here, the non-negative rest is returned for the conv's own explicit
 * padding (saves materialising a padded copy).
 */
export function cropNegative(x: tf.Tensor4D, pads: Pads): { x: tf.Tensor4D; pad: ExplicitPadding } {
  const [t, b, l, r] = pads;
  const [, h, w] = x.shape;
  let out = x;
  if (t < 0 || b < 0 || l < 0 || r < 0) {
    const ct = Math.max(0, -t);
    const cl = Math.max(0, -l);
    const size: [number, number, number, number] = [-1, h - ct - Math.max(0, -b), w - cl - Math.max(0, -r), -1];
    out = tf.slice(x, [0, ct, cl, 0], size);
  }
  const pad: ExplicitPadding = [[0, 0], [Math.max(0, t), Math.max(0, b)], [Math.max(0, l), Math.max(0, r)], [0, 0]];
  return { x: out, pad };
}

/**
 * Inserts `s - 1` zeros after every row/column of an NHWC tensor (the transposed-conv
 * "dilation" of dy). The result has height h*sh and width w*sw: the trailing zeros are
 * left in and callers subtract them from their bottom/right pads.
 */
export function dilateSpatial(x: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return x;
  const [n, h, w, c] = x.shape;
  const six = tf.reshape(x, [n, h, 1, w, 1, c]);
  const padded = tf.pad(six, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return tf.reshape(padded, [n, h * sh, w * sw, c]);
}
