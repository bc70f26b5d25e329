/**
 * UnsortedSegmentSum for wasm: the gradient of Gather, so Embedding layers and embedding
 * lookups (every family: rnn, transformer) can train on wasm. tfjs-backend-wasm 4.22 has
 * no such kernel. A plain JS loop over views of the wasm heap, no copies: the output row
 * of each segment id accumulates its input rows; ids outside [0, numSegments) are
 * dropped, as on the cpu backend.
 */
import { tf } from '../../tf.js';
import type { WasmHeap } from './util.js';

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
    const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
    const b = backend as unknown as WasmHeap;
    const rest = x.shape.slice(segmentIds.shape.length);
    const inner = rest.reduce((p, d) => p * d, 1);
    // Allocate first: allocation may grow the heap, which detaches earlier views.
    const out = b.makeOutput([numSegments, ...rest], x.dtype);
    const o = b.typedArrayFromHeap(out);
    const values = b.typedArrayFromHeap(x);
    const ids = b.typedArrayFromHeap(segmentIds);
    o.fill(0);
    if (inner === 1) {
      for (let i = 0; i < ids.length; i++) {
        const s = ids[i];
        if (s >= 0 && s < numSegments) o[s] += values[i];
      }
      return out;
    }
    for (let i = 0; i < ids.length; i++) {
      const s = ids[i];
      if (s < 0 || s >= numSegments) continue;
      const to = s * inner;
      const from = i * inner;
      for (let k = 0; k < inner; k++) o[to + k] += values[from + k];
    }
    return out;
  },
};
