/**
 * Faster wasm Transpose for rank 5 and up. wasm's own kernel has fast loops up to rank 4 but
 * a generic path above that which is about 25x slower than a JS copy (measured: the
 * attention's [batch, seq, 3, heads, headDim] -> [3, batch, heads, seq, headDim] split took
 * 130 ms on wasm, 5.5 ms here). The wrapper drops size-1 axes and merges axes that stay
 * adjacent; what is left at rank <= 4 goes to wasm's kernel, the rest is copied here through
 * views of the wasm heap, contiguous runs at a time.
 */
import type { tf } from '../../tf.js';
import type { WasmHeap } from './util.js';

type Info = tf.TensorInfo;

/** The parts of tfjs-backend-wasm's BackendWasm this kernel uses. */
/**
 * The same transpose on fewer axes: size-1 axes dropped, and input axes i, i+1 that follow
 * each other in `perm` merged into one.
 */
export function collapseTranspose(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  // Runs of input axes that follow each other in output order become one axis.
  const runs: number[][] = [];
  for (const p of perm) {
    if (shape[p] === 1) continue;
    const last = runs[runs.length - 1];
    if (last !== undefined && followsIn(shape, last[last.length - 1], p)) last.push(p);
    else runs.push([p]);
  }
  // Input order of the runs gives the new input axes.
  const order = [...runs.keys()].sort((a, b) => runs[a][0] - runs[b][0]);
  const newShape = order.map((r) => runs[r].reduce((s, p) => s * shape[p], 1));
  const position = new Map(order.map((r, i) => [r, i]));
  return { shape: newShape, perm: runs.map((_, r) => position.get(r) as number) };
}

/** Whether input axis `b` directly follows axis `a` once size-1 axes are ignored. */
function followsIn(shape: readonly number[], a: number, b: number): boolean {
  if (b <= a) return false;
  for (let i = a + 1; i < b; i++) if (shape[i] !== 1) return false;
  return true;
}

/** Copies x (of `shape`) transposed by `perm` into dst: an odometer over the output's outer axes. */
function copyTransposed(src: Float32Array | Int32Array | Uint8Array, dst: Float32Array | Int32Array | Uint8Array, shape: number[], perm: number[]): void {
  const r = shape.length;
  const inStrides = new Array<number>(r);
  inStrides[r - 1] = 1;
  for (let i = r - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1] * shape[i + 1];
  const outShape = perm.map((p) => shape[p]);
  const strides = perm.map((p) => inStrides[p]);
  const n = outShape[r - 1];
  const step = strides[r - 1];
  const idx = new Array<number>(r - 1).fill(0);
  let base = 0;
  for (let o = 0; o < dst.length; ) {
    if (step === 1) {
      dst.set(src.subarray(base, base + n), o);
      o += n;
    } else {
      for (let k = 0, s = base; k < n; k++, s += step) dst[o++] = src[s];
    }
    for (let d = r - 2; d >= 0; d--) {
      base += strides[d];
      if (++idx[d] < outShape[d]) break;
      base -= strides[d] * outShape[d];
      idx[d] = 0;
    }
  }
}

/** Wraps wasm's Transpose: rank <= 4 after collapsing goes to wasm, higher ranks are copied in JS. */
export function fastTranspose(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = args.inputs.x as Info;
    const perm = (args.attrs as unknown as tf.TransposeAttrs).perm;
    if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') return original.kernelFunc(args);
    const c = collapseTranspose(x.shape, perm);
    const outShape = perm.map((p) => x.shape[p]);
    if (c.shape.length === x.shape.length && c.shape.length <= 4) return original.kernelFunc(args);
    if (c.shape.length <= 4) {
      // wasm's kernel on the collapsed view (same data layout), relabelled with the real shape.
      const out = original.kernelFunc({ ...args, inputs: { x: { ...x, shape: c.shape } }, attrs: { perm: c.perm } }) as Info;
      return { ...out, shape: outShape };
    }
    const heap = args.backend as unknown as WasmHeap;
    const out = heap.makeOutput(outShape, x.dtype); // before taking views: it may grow the heap
    copyTransposed(heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(out), c.shape, c.perm);
    return out;
  };
  return { ...original, kernelFunc };
}
