/**
 * Stride plans for broadcasting binary ops (run by the addon, csrc/binary.cc) and the
 * transpose copy. The cpu backend's generic path converts every flat index to
 * coordinates and back (about 1 us per element, seen at 100 ms for one 128x784 broadcast
 * Multiply); here dims are collapsed first and the inner loop walks plain strides.
 */

/** Output shape with each input's element strides (0 along broadcast dims), collapsed. */
export interface Plan {
  shape: number[];
  strides: number[][];
}

/** Collapses size-1 dims and merges neighbours that are contiguous for every operand. */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): Plan {
  const keep = shape.map((_d, i) => i).filter((i) => shape[i] !== 1);
  const out: Plan = { shape: [], strides: strides.map(() => []) };
  for (const i of keep) {
    const last = out.shape.length - 1;
    const d = shape[i];
    if (last >= 0 && strides.every((s, k) => out.strides[k][last] === s[i] * d)) {
      out.shape[last] *= d;
      strides.forEach((s, k) => { out.strides[k][last] = s[i]; });
    } else {
      out.shape.push(d);
      strides.forEach((s, k) => out.strides[k].push(s[i]));
    }
  }
  return out;
}

/** Element strides of `shape` right-aligned into `outShape` (0 where broadcast). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const r = outShape.length;
  const strides = new Array<number>(r).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = i + r - shape.length;
    strides[o] = shape[i] === 1 && outShape[o] !== 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Copies x (shape `shape`) permuted by `perm` into a new array: an odometer over the
 * output dims with the input offset kept incrementally.
 */
export function transpose(x: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const inStrides = broadcastStrides(shape, shape);
  const outShape = perm.map((p) => shape[p]);
  const plan = collapse(outShape, [perm.map((p) => inStrides[p])]);
  const dims = plan.shape;
  const st = plan.strides[0];
  const out = new Float32Array(x.length);
  const r = dims.length;
  if (r <= 1) {
    out.set(x);
    return out;
  }
  const n0 = dims[r - 1];
  const s0 = st[r - 1];
  const idx = new Array<number>(r - 1).fill(0);
  let base = 0;
  for (let o = 0; o < out.length; ) {
    for (let i = 0, p = base; i < n0; i++, p += s0) out[o++] = x[p];
    // Advance the odometer over dims r-2 .. 0.
    for (let d = r - 2; d >= 0; d--) {
      idx[d]++;
      base += st[d];
      if (idx[d] < dims[d]) break;
      base -= st[d] * dims[d];
      idx[d] = 0;
    }
  }
  return out;
}
