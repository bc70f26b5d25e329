/**
 * Faster wasm matmuls. tfjs-backend-wasm 4.22 hands only plain, unbatched products to
 * XNNPACK; `transposeA`/`transposeB` and batch > 1 fall back to a naive loop about 10x
 * slower (see notes/facts.md). Training hits both: every Dense gradient is a transposed
 * matmul, attention multiplies batches of [T, T] and [T, D] matrices. These wrappers keep
 * the original kernel and reshape the call so it takes the fast path: explicit Transpose
 * kernels, batches folded into one product or split into one XNNPACK product per item.
 */
import { tf } from '../../tf.js';
import type { WasmHeap } from './util.js';

type Info = tf.TensorInfo;

const SPLIT_MIN_DIM = 2;
const SPLIT_MIN_STEPS = 10_000;

/**
 * Whether a batched [m, k] x [k, n] product is faster split into one XNNPACK product per
 * batch item than in wasm's own batched loop. The loop costs about m*n*(k + 8) steps per
 * item (the 8: its per-output overhead); a split item costs ~15-20 us of fixed overhead
 * (copies, XNNPACK set-up and weight packing) plus ~4x fewer steps. Below ~10k loop steps per
 * item, or for mat-vec products (m or n of 1, where XNNPACK's packing costs as much as the
 * product), the loop wins. Measured: docs/training-speed.md, "BatchMatMul split rule".
 */
export function splitPays(m: number, k: number, n: number): boolean {
  return Math.min(m, n) >= SPLIT_MIN_DIM && m * n * (k + 8) >= SPLIT_MIN_STEPS;
}

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** Runs kernels directly on the backend, collecting their outputs for disposal. */
class Scratch {
  readonly temps: Info[] = [];
  constructor(readonly backend: tf.KernelBackend) {}
  run(name: string, inputs: tf.NamedTensorInfoMap | Info[], attrs: tf.NamedAttrMap): Info {
    const kernel = tf.getKernel(name, 'wasm');
    const out = kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend: this.backend, attrs }) as Info;
    this.temps.push(out);
    return out;
  }
  keep(out: Info): Info {
    this.temps.push(out);
    return out;
  }
  /** Swaps the last two axes, so the matmul itself needs no transpose flag. */
  transposeLast(x: Info): Info {
    const r = x.shape.length;
    const perm = [...Array(r).keys()];
    [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
    return this.run('Transpose', { x }, { perm });
  }
  reshape(x: Info, shape: number[]): Info {
    return this.run('Reshape', { x }, { shape });
  }
  /** The kernel's result: a reshaped view that is not disposed with the temps. */
  result(x: Info, shape: number[]): Info {
    return tf.getKernel('Reshape', 'wasm').kernelFunc({ inputs: { x }, backend: this.backend, attrs: { shape } }) as Info;
  }
  /**
   * Item i of a [batch, r, c] tensor as a new [1, r, c] tensor, copied through views of the
   * wasm heap. (wasm's Slice kernel first copies its whole input out of the heap, so slicing
   * every item of a batch that way costs batch x the batch's size.) The caller disposes it.
   */
  item(x: Info, i: number): Info {
    const [, r, c] = x.shape;
    const heap = this.backend as unknown as WasmHeap;
    const out = heap.makeOutput([1, r, c], x.dtype); // before taking views: it may grow the heap
    heap.typedArrayFromHeap(out).set(heap.typedArrayFromHeap(x).subarray(i * r * c, (i + 1) * r * c));
    return out;
  }
  /**
   * Runs `mm` once per batch item (item i takes a[i % batchA] and b[i % batchB], the cpu
   * kernel's broadcast rule) on [1, m, k] x [1, k, n] items, writing each [m, n] result
   * into one [batch, m, n] output. Items are freed as soon as they are used.
   */
  perItem(a3: Info, b3: Info, mm: (a: Info, b: Info, i: number) => Info): Info {
    const [batchA, m] = a3.shape;
    const [batchB, , n] = b3.shape;
    const heap = this.backend as unknown as WasmHeap;
    const batch = Math.max(batchA, batchB);
    const out = this.keep(heap.makeOutput([batch, m, n], 'float32'));
    for (let i = 0; i < batch; i++) {
      const items: Info[] = [];
      try {
        const ai = batchA === 1 ? a3 : this.item(a3, i % batchA);
        if (ai !== a3) items.push(ai);
        const bi = batchB === 1 ? b3 : this.item(b3, i % batchB);
        if (bi !== b3) items.push(bi);
        const part = mm(ai, bi, i);
        items.push(part);
        heap.typedArrayFromHeap(out).set(heap.typedArrayFromHeap(part), i * m * n);
      } finally {
        for (const t of items) this.backend.disposeData(t.dataId);
      }
    }
    return out;
  }
  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
  }
}

/**
 * Wraps wasm's BatchMatMul: explicit transposes; a batched `a` times an unbatched `b` is
 * folded into one 2-D product; other batched products are split per batch item where
 * {@link splitPays}, else left to wasm's batched loop.
 */
export function fastBatchMatMul(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const s = new Scratch(backend as tf.KernelBackend);
    const plain = { transposeA: false, transposeB: false };
    const mm = (a: Info, b: Info): Info =>
      original.kernelFunc({ inputs: { a, b }, backend, attrs: plain }) as Info;
    try {
      const a = transposeA ? s.transposeLast(inputs.a as Info) : (inputs.a as Info);
      const b = transposeB ? s.transposeLast(inputs.b as Info) : (inputs.b as Info);
      const [m, k] = a.shape.slice(-2);
      const n = b.shape[b.shape.length - 1];
      const batchA = size(a.shape.slice(0, -2));
      const batchB = size(b.shape.slice(0, -2));
      if (a.dtype !== 'float32' || b.dtype !== 'float32' || (batchA <= 1 && batchB <= 1)) return mm(a, b);
      const outShape = [
        ...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)),
        m, n,
      ];
      if (batchB === 1) {
        const out = s.keep(mm(s.reshape(a, [batchA * m, k]), s.reshape(b, [k, n])));
        return s.result(out, outShape);
      }
      if (!splitPays(m, k, n)) return mm(a, b);
      const out = s.perItem(s.reshape(a, [batchA, m, k]), s.reshape(b, [batchB, k, n]), mm);
      return s.result(out, outShape);
    } finally {
      s.dispose();
    }
  };
  return { ...original, kernelFunc };
}

/**
 * Wraps wasm's _FusedMatMul (rank-3 inputs, bias, activation): explicit transposes, and
 * batches folded or split, which also fixes stock wasm's wrong results for batch > 1
 * (any activation; seen with tfjs-backend-wasm 4.22).
 */
export function fastFusedMatMul(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as unknown as tf._FusedMatMulAttrs;
    const s = new Scratch(backend as tf.KernelBackend);
    const plain = { ...attrs, transposeA: false, transposeB: false };
    const prelu = inputs.preluActivationWeights;
    const fused = (a: Info, b: Info, p = prelu): Info =>
      original.kernelFunc({ inputs: { ...inputs, a, b, preluActivationWeights: p }, backend, attrs: plain }) as Info;
    try {
      const a = transposeA ? s.transposeLast(inputs.a as Info) : (inputs.a as Info);
      const b = transposeB ? s.transposeLast(inputs.b as Info) : (inputs.b as Info);
      const [batchA, m, k] = a.shape;
      const [batchB, , n] = b.shape;
      if (a.dtype !== 'float32' || (batchA <= 1 && batchB <= 1)) return fused(a, b);
      // PReLU weights of n values broadcast along rows, so folding rows keeps them valid.
      if (batchB === 1 && (prelu == null || size(prelu.shape) === n)) {
        const out = s.keep(fused(s.reshape(a, [1, batchA * m, k]), b));
        return s.result(out, [batchA, m, n]);
      }
      const batchP = prelu != null && prelu.shape.length === 3 ? prelu.shape[0] : 1;
      const out = s.perItem(a, b, (ai, bi, i) => {
        const p = batchP === 1 ? prelu : s.keep(s.item(prelu as Info, i % batchP));
        return fused(ai, bi, p);
      });
      return s.result(out, [Math.max(batchA, batchB), m, n]);
    } finally {
      s.dispose();
    }
  };
  return { ...original, kernelFunc };
}
