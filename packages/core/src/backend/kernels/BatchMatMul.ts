/**
 * Faster wasm matmuls. tfjs-backend-wasm 4.22 hands only plain, unbatched products to
 * XNNPACK; `transposeA`/`transposeB` and batch > 1 fall back to a naive loop about 10x
 * slower (see notes/facts.md). Training hits both: every Dense gradient is a transposed
 * matmul. These wrappers keep the original kernel and reshape the call so it always
 * takes the fast path: explicit Transpose kernels, batches folded or split.
 */
import { tf } from '../../tf.js';

type Info = tf.TensorInfo;

/** Below this many multiply-adds per batch item the native batched loop is as fast as splitting. */
const SPLIT_MIN_MACS = 4096;

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
   * Runs `mm` once per batch item (item i takes a[i % batchA] and b[i % batchB], the cpu
   * kernel's broadcast rule) on [1, m, k] x [1, k, n] slices; concatenates the results.
   */
  perItem(a3: Info, b3: Info, mm: (a: Info, b: Info, i: number) => Info): Info {
    const [batchA, m, k] = a3.shape;
    const [batchB, , n] = b3.shape;
    const parts: Info[] = [];
    for (let i = 0; i < Math.max(batchA, batchB); i++) {
      const ai = batchA === 1 ? a3 : this.run('Slice', { x: a3 }, { begin: [i % batchA, 0, 0], size: [1, m, k] });
      const bi = batchB === 1 ? b3 : this.run('Slice', { x: b3 }, { begin: [i % batchB, 0, 0], size: [1, k, n] });
      parts.push(this.keep(mm(ai, bi, i)));
    }
    return this.run('Concat', parts, { axis: 0 });
  }
  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
  }
}

/**
 * Wraps wasm's BatchMatMul: explicit transposes; a batched `a` times an unbatched `b` is
 * folded into one 2-D product; other batched products are split per batch item.
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
      if (a.dtype !== 'float32' || b.dtype !== 'float32' || (batchA <= 1 && batchB <= 1) || m * n * k < SPLIT_MIN_MACS) {
        return mm(a, b);
      }
      const outShape = [
        ...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)),
        m, n,
      ];
      if (batchB === 1) {
        const out = s.keep(mm(s.reshape(a, [batchA * m, k]), s.reshape(b, [k, n])));
        return s.result(out, outShape);
      }
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
        const p = batchP === 1 ? prelu : s.run('Slice', { x: prelu as Info }, { begin: [i % batchP, 0, 0], size: [1, m, n] });
        return fused(ai, bi, p);
      });
      return s.result(out, [Math.max(batchA, batchB), m, n]);
    } finally {
      s.dispose();
    }
  };
  return { ...original, kernelFunc };
}
