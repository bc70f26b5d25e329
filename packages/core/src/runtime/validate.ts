/**
 * Input checking before onnxruntime sees the feeds, so a wrong call fails with a ShapeError that
 * names the input, the expected shape and dtype, and what came.
 */
import { ShapeError } from '../errors.js';
import type { OrtValueMetadata } from './ort.js';
import { dtypeOf, sizeOf, toTypedArray } from './tensors.js';
import type { DType, Feeds, TensorLike, ValueInfo } from './types.js';

/** A feed that passed the checks: its data is ready for an onnxruntime `Tensor`. */
export interface CheckedFeed {
  name: string;
  type: DType;
  data: unknown;
  dims: number[];
}

/** Converts onnxruntime metadata to {@link ValueInfo}s (unnamed dynamic dims become `'?'`). */
export function toValueInfo(names: readonly string[], metadata: readonly OrtValueMetadata[] | undefined): ValueInfo[] {
  return names.map((name, i) => {
    const m = metadata?.find((v) => v.name === name) ?? metadata?.[i];
    if (!m) return { name, dims: null, dtype: 'unknown' };
    if (!m.isTensor) return { name, dims: null, dtype: 'non-tensor' };
    const dims = m.shape
      ? m.shape.map((d) => (typeof d === 'number' ? (d < 0 ? '?' : d) : d === '' ? '?' : d))
      : null;
    return { name, dims, dtype: m.type ?? 'unknown' };
  });
}

/** `[batch, 784] (float32)` */
export function formatShape(dims: ReadonlyArray<number | string> | null, dtype: string): string {
  return `${dims ? `[${dims.join(', ')}]` : '[unknown rank]'} (${dtype})`;
}

const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(', ');

function isTensorLike(value: unknown): value is TensorLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<TensorLike>;
  return Array.isArray(v.dims) && (ArrayBuffer.isView(v.data) || Array.isArray(v.data));
}

/** Normalizes `feeds` to a record by input name; a single tensor is allowed when the model has one input. */
function byName(feeds: Feeds, inputs: readonly ValueInfo[]): Record<string, TensorLike> {
  if (isTensorLike(feeds)) {
    if (inputs.length !== 1) {
      throw new ShapeError(
        `The model has ${inputs.length} inputs (${quoted(inputs.map((i) => i.name))}): pass a record of tensors keyed by input name`,
      );
    }
    return { [inputs[0].name]: feeds };
  }
  if (typeof feeds !== 'object' || feeds === null) {
    throw new ShapeError(`Feeds must be a tensor or a record of tensors keyed by input name, got ${String(feeds)}`);
  }
  return feeds as Record<string, TensorLike>;
}

/** Checks one tensor against its input's metadata; `bound` collects symbolic dims seen so far. */
function checkOne(info: ValueInfo, t: TensorLike, bound: Map<string, [number, string]>): CheckedFeed {
  const { name } = info;
  if (!isTensorLike(t)) throw new ShapeError(`Input '${name}' must be a tensor { data, dims }, got ${String(t)}`);
  const dims = [...t.dims];
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShapeError(`Input '${name}' has invalid dims [${dims.join(', ')}]: sizes must be integers >= 0`);
  }
  let data: unknown = t.data;
  const expectedType = info.dtype;
  let type = t.type ?? dtypeOf(t.data);
  if (type === undefined && Array.isArray(t.data)) {
    if (typeof t.data[0] === 'string') type = 'string';
    else {
      data = toTypedArray(t.data as number[], expectedType);
      type = data ? expectedType : 'float32';
      data ??= Float32Array.from(t.data as number[]);
    }
  }
  type ??= 'unknown';
  const got = formatShape(dims, type);
  const expected = formatShape(info.dims, expectedType);
  const mismatch = (why = '') => new ShapeError(`Input '${name}' expects shape ${expected} but got ${got}${why}`);
  if (expectedType !== 'non-tensor' && expectedType !== 'unknown' && type !== expectedType) throw mismatch();
  if (info.dims) {
    if (info.dims.length !== dims.length) throw mismatch();
    info.dims.forEach((d, i) => {
      if (typeof d === 'number' && d !== dims[i]) throw mismatch();
    });
    info.dims.forEach((d, i) => {
      if (typeof d !== 'string' || d === '?') return;
      const seen = bound.get(d);
      if (seen && seen[0] !== dims[i]) throw mismatch(`: ${d} is ${seen[0]} from input '${seen[1]}'`);
      if (!seen) bound.set(d, [dims[i], name]);
    });
  }
  const length = (data as ArrayLike<unknown>).length;
  if (length !== sizeOf(dims)) {
    throw new ShapeError(`Input '${name}' has dims [${dims.join(', ')}] (${sizeOf(dims)} values) but its data holds ${length}`);
  }
  return { name, type, data, dims };
}

/**
 * Checks `feeds` against the model's inputs: names (unknown and missing), rank, static dims,
 * symbolic dims shared between inputs, dtype and data length. Throws ShapeError on the first problem.
 */
export function checkFeeds(feeds: Feeds, inputs: readonly ValueInfo[]): CheckedFeed[] {
  const record = byName(feeds, inputs);
  const names = inputs.map((i) => i.name);
  for (const key of Object.keys(record)) {
    if (!names.includes(key)) throw new ShapeError(`Unknown input '${key}': the model expects inputs ${quoted(names)}`);
  }
  for (const name of names) {
    if (!(name in record)) throw new ShapeError(`Missing input '${name}': the model expects inputs ${quoted(names)}`);
  }
  const bound = new Map<string, [number, string]>();
  return inputs.map((info) => checkOne(info, record[info.name], bound));
}
