/**
 * The one kernel the rnn family needs that tfjs's wasm backend lacks: UnsortedSegmentSum, the
 * gradient of Gather (so Embedding layers and embedding lookups can train on wasm). Written in
 * JS over the wasm heap; registered once, only where no kernel exists. It belongs in core's
 * backend/kernels beside the other wasm additions.
 */
import { tf } from '@neurozoo/core';

interface WasmBackend {
  readSync(dataId: unknown): ArrayLike<number>;
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array;
}

/** Registers UnsortedSegmentSum for the wasm backend when it is missing. */
export function registerWasmKernels(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      const b = backend as unknown as WasmBackend;
      const values = b.readSync(x.dataId);
      const ids = b.readSync(segmentIds.dataId);
      const rest = x.shape.slice(segmentIds.shape.length);
      const inner = rest.reduce((a, d) => a * d, 1);
      const out = b.makeOutput([numSegments, ...rest], x.dtype);
      const o = b.typedArrayFromHeap(out);
      o.fill(0);
      for (let i = 0; i < ids.length; i++) {
        const s = ids[i];
        if (s < 0 || s >= numSegments) continue;
        for (let k = 0; k < inner; k++) o[s * inner + k] += values[i * inner + k];
      }
      return out;
    },
  });
}
