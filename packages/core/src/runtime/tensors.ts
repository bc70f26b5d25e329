/** Tensor helpers of the runtime: element types of typed arrays and row-wise argmax/softmax. */
import { ShapeError } from '../errors.js';
import type { DType, TensorData } from './types.js';

/** The onnxruntime element type a typed array holds by default (`Uint8Array` is `uint8`, not `bool`). */
export function dtypeOf(data: unknown): DType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (typeof BigInt64Array !== 'undefined' && data instanceof BigInt64Array) return 'int64';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Uint32Array) return 'uint32';
  if (typeof BigUint64Array !== 'undefined' && data instanceof BigUint64Array) return 'uint64';
  return undefined;
}

/** Converts a plain number array to the typed array of `dtype`; undefined for dtypes without one. */
export function toTypedArray(values: readonly number[], dtype: DType): TensorData | undefined {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int32':
      return Int32Array.from(values);
    case 'int64':
      return BigInt64Array.from(values, (v) => BigInt(Math.trunc(v)));
    case 'uint8':
    case 'bool':
      return Uint8Array.from(values);
    case 'int8':
      return Int8Array.from(values);
    default:
      return undefined;
  }
}

/** Number of elements of a tensor with `dims`. */
export function sizeOf(dims: readonly number[]): number {
  return dims.reduce((a, d) => a * d, 1);
}

function rows(data: ArrayLike<number>, dims: readonly number[]): [number, number] {
  if (dims.length === 0) throw new ShapeError('Expected a tensor of rank >= 1 but got a scalar (dims [])');
  const n = dims[dims.length - 1];
  if (sizeOf(dims) !== data.length) {
    throw new ShapeError(`Dims [${dims.join(', ')}] hold ${sizeOf(dims)} values but the data has ${data.length}`);
  }
  return [n === 0 ? 0 : data.length / n, n];
}

/** Index of the largest value of each row along the last axis: dims [..., n] give one index per row. */
export function argmax(data: ArrayLike<number>, dims: readonly number[]): Int32Array {
  const [count, n] = rows(data, dims);
  const out = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    let best = 0;
    for (let j = 1; j < n; j++) if (data[r * n + j] > data[r * n + best]) best = j;
    out[r] = best;
  }
  return out;
}

/** Softmax along the last axis (numerically stable), as float32. */
export function softmax(data: ArrayLike<number>, dims: readonly number[]): Float32Array {
  const [count, n] = rows(data, dims);
  const out = new Float32Array(data.length);
  for (let r = 0; r < count; r++) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) max = Math.max(max, data[r * n + j]);
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(data[r * n + j] - max);
    for (let j = 0; j < n; j++) out[r * n + j] = Math.exp(data[r * n + j] - max) / sum;
  }
  return out;
}
