/**
 * GatherV2 for wasm: rows copied with `set` from views of the wasm heap. wasm's own kernel
 * walks every element (5.5 ms for 128 MNIST rows of a [60000, 784] tensor, the batch of
 * every `fit` step); a copy per index takes ~0.1 ms. Batched gathers, other dtypes and
 * out-of-range indices (whose error message the original kernel owns) go to wasm's kernel.
 */
import type { tf } from '../../tf.js';
import type { WasmHeap } from './util.js';

type Info = tf.TensorInfo;

const sizeOf = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** Wraps wasm's GatherV2 (see the module comment). */
export function fastGather(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { x, indices } = args.inputs as { x: Info; indices: Info };
    const { axis, batchDims } = args.attrs as unknown as tf.GatherV2Attrs;
    if (batchDims !== 0 || indices.dtype !== 'int32' || (x.dtype !== 'float32' && x.dtype !== 'int32')) return original.kernelFunc(args);
    const ax = axis < 0 ? axis + x.shape.length : axis;
    const n = x.shape[ax];
    const heap = args.backend as unknown as WasmHeap;
    const ids = heap.typedArrayFromHeap(indices);
    for (let k = 0; k < ids.length; k++) if (ids[k] < 0 || ids[k] >= n) return original.kernelFunc(args);
    const outer = sizeOf(x.shape.slice(0, ax));
    const inner = sizeOf(x.shape.slice(ax + 1));
    const count = ids.length;
    const out = heap.makeOutput([...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)], x.dtype);
    // Views after the allocation (it may grow the heap and detach older views).
    const src = heap.typedArrayFromHeap(x);
    const dst = heap.typedArrayFromHeap(out);
    const idx = heap.typedArrayFromHeap(indices);
    let o = 0;
    for (let a = 0; a < outer; a++) {
      for (let k = 0; k < count; k++, o += inner) {
        const from = (a * n + idx[k]) * inner;
        if (inner === 1) dst[o] = src[from];
        else dst.set(src.subarray(from, from + inner), o);
      }
    }
    return out;
  };
  return { ...original, kernelFunc };
}
