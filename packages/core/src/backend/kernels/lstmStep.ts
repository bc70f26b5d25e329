/**
 * The elementwise half of one LSTM time step, forward and backward, as two kernels that
 * run plain loops over the backend's own memory: the cpu backend's typed arrays and wasm's
 * heap (the `native` backend registers C++ versions of the same two kernels). Used by
 * @neurozoo/rnn's fused LSTM sequence op. tfjs-layers spends ~12 ops per
 * step forward and ~25 backward on this part (split, three sigmoids, two tanh, products,
 * sums); each op costs more in dispatch than in arithmetic at these sizes.
 *
 * Layouts (row b of B, H units, gate order i, f, g, o as in Keras and ONNX):
 * - `xp` [S, B, 4H]: input projections x·W + b of every step, read at step `s`;
 * - `r` [B, 4H]: h_prev·U of this step; `cPrev` [B, H] (or row `s` of an [S, B, H] tensor);
 * - `acts` [B, 5H]: activated gates i, f, g, o and tanh(c), kept for the backward step.
 */
import { tf } from '../../tf.js';
import type { WasmHeap } from './util.js';

export const LSTM_STEP = 'NeurozooLstmStep';
export const LSTM_STEP_GRAD = 'NeurozooLstmStepGrad';

/** Attributes of both kernels. */
export interface LstmStepAttrs {
  /** Step read from the [S, ...] inputs. */
  step: number;
  /** 'sigmoid' or 'hardSigmoid' (tfjs: clip(0.2 z + 0.5, 0, 1)). */
  gate: 'sigmoid' | 'hardSigmoid';
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const hardSigmoid = (z: number) => (z <= -2.5 ? 0 : z >= 2.5 ? 1 : 0.2 * z + 0.5);
/** tanh through one exp: Math.tanh is ~2x slower in V8 and the error stays below 1e-7. */
const tanh = (z: number) => {
  if (z > 20) return 1;
  if (z < -20) return -1;
  const e = Math.exp(2 * z);
  return (e - 1) / (e + 1);
};

/** Forward step: h, c [B, H] and acts [B, 5H] from xp[step] + r and cPrev. */
export function lstmStepForward(
  xp: Float32Array,
  r: Float32Array,
  cPrev: Float32Array,
  B: number,
  H: number,
  attrs: LstmStepAttrs,
  h: Float32Array,
  c: Float32Array,
  acts: Float32Array,
): void {
  const gate = attrs.gate === 'sigmoid' ? sigmoid : hardSigmoid;
  const G = 4 * H;
  const xpBase = attrs.step * B * G;
  for (let b = 0; b < B; b++) {
    const zr = b * G;
    const zx = xpBase + zr;
    const a = b * 5 * H;
    const hc = b * H;
    for (let j = 0; j < H; j++) {
      const i = gate(xp[zx + j] + r[zr + j]);
      const f = gate(xp[zx + H + j] + r[zr + H + j]);
      const g = tanh(xp[zx + 2 * H + j] + r[zr + 2 * H + j]);
      const o = gate(xp[zx + 3 * H + j] + r[zr + 3 * H + j]);
      const cNew = f * cPrev[hc + j] + i * g;
      const tc = tanh(cNew);
      c[hc + j] = cNew;
      h[hc + j] = o * tc;
      acts[a + j] = i;
      acts[a + H + j] = f;
      acts[a + 2 * H + j] = g;
      acts[a + 3 * H + j] = o;
      acts[a + 4 * H + j] = tc;
    }
  }
}

/**
 * Backward step: dz [B, 4H] (gradient of the pre-activations) and dcPrev [B, H] from the
 * gradient reaching h (dSeq[step] + dh, where dh = dz_next·Uᵀ, absent at the last step) and
 * the gradient reaching c (dcNext). `acts` is [S, B, 5H], `cPrev` [S, B, H], both read at step.
 */
export function lstmStepBackward(
  acts: Float32Array,
  cPrev: Float32Array,
  dSeq: Float32Array,
  dh: Float32Array | null,
  dcNext: Float32Array,
  dcNextOffset: number,
  B: number,
  H: number,
  attrs: LstmStepAttrs,
  dz: Float32Array,
  dcPrev: Float32Array,
): void {
  const hard = attrs.gate === 'hardSigmoid';
  const G = 4 * H;
  const base = attrs.step * B * H;
  const actBase = attrs.step * B * 5 * H;
  // d gate / d z from the gate's value: sigmoid s(1 - s); hardSigmoid 0.2 inside (0, 1).
  const dGate = hard ? (s: number) => (s > 0 && s < 1 ? 0.2 : 0) : (s: number) => s * (1 - s);
  for (let b = 0; b < B; b++) {
    const a = actBase + b * 5 * H;
    const hc = b * H;
    const z = b * G;
    for (let j = 0; j < H; j++) {
      const i = acts[a + j];
      const f = acts[a + H + j];
      const g = acts[a + 2 * H + j];
      const o = acts[a + 3 * H + j];
      const tc = acts[a + 4 * H + j];
      const dhj = dSeq[base + hc + j] + (dh === null ? 0 : dh[hc + j]);
      const dc = dcNext[dcNextOffset + hc + j] + dhj * o * (1 - tc * tc);
      dz[z + j] = dc * g * dGate(i);
      dz[z + H + j] = dc * cPrev[base + hc + j] * dGate(f);
      dz[z + 2 * H + j] = dc * i * (1 - g * g);
      dz[z + 3 * H + j] = dhj * tc * dGate(o);
      dcPrev[hc + j] = dc * f;
    }
  }
}

/** How a backend stores float32 data: read views of inputs and freshly made outputs. */
interface Storage {
  read(t: tf.TensorInfo): Float32Array;
  /** Makes the outputs first (a wasm allocation can move the heap), then views them. */
  make(shapes: number[][]): { infos: tf.TensorInfo[]; views: () => Float32Array[] };
}

interface CpuBackend {
  data: { get(id: tf.DataId): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: Float32Array): tf.TensorInfo;
}

const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

/** The storage adapter for a backend, or null when its memory is not plain host memory (webgl, webgpu). */
function storageOf(backend: unknown): Storage | null {
  const wasm = backend as Partial<WasmHeap>;
  if (typeof wasm.typedArrayFromHeap === 'function' && typeof wasm.makeOutput === 'function') {
    const w = wasm as WasmHeap;
    return {
      read: (t) => w.typedArrayFromHeap(t) as Float32Array,
      make: (shapes) => {
        const infos = shapes.map((s) => w.makeOutput(s, 'float32'));
        return { infos, views: () => infos.map((i) => w.typedArrayFromHeap(i) as Float32Array) };
      },
    };
  }
  const cpu = backend as Partial<CpuBackend>;
  if (cpu.data && typeof cpu.data.get === 'function' && typeof cpu.makeTensorInfo === 'function') {
    const c = cpu as CpuBackend;
    return {
      read: (t) => c.data.get(t.dataId).values,
      make: (shapes) => {
        const arrays = shapes.map((s) => new Float32Array(size(s)));
        const infos = shapes.map((s, k) => c.makeTensorInfo(s, 'float32', arrays[k]));
        return { infos, views: () => arrays };
      },
    };
  }
  return null;
}

function stepKernel(storage: Storage): tf.KernelFunc {
  return ({ inputs, attrs }) => {
    const { xp, r, cPrev } = inputs as Record<string, tf.TensorInfo>;
    const [B, G] = r.shape;
    const H = G / 4;
    const out = storage.make([[B, H], [B, H], [B, 5 * H]]);
    const xpv = storage.read(xp);
    const rv = storage.read(r);
    const cv = storage.read(cPrev);
    const [h, c, acts] = out.views();
    lstmStepForward(xpv, rv, cv, B, H, attrs as unknown as LstmStepAttrs, h, c, acts);
    return out.infos;
  };
}

function stepGradKernel(storage: Storage): tf.KernelFunc {
  return ({ inputs, attrs }) => {
    // dh and dcNext are absent at the last step: no recurrent gradient yet, and c's
    // gradient is row S of dSeq (the packed output's gradient, see ./lstm.ts).
    const { acts, cPrev, dSeq, dh, dcNext } = inputs as Record<string, tf.TensorInfo | undefined> as Record<string, tf.TensorInfo> & {
      dh?: tf.TensorInfo;
      dcNext?: tf.TensorInfo;
    };
    const [S, B, H] = cPrev.shape;
    const out = storage.make([[B, 4 * H], [B, H]]);
    const [dz, dcPrev] = out.views();
    const dSeqView = storage.read(dSeq);
    const dhView = dh === undefined ? null : storage.read(dh);
    const dcView = dcNext === undefined ? dSeqView : storage.read(dcNext);
    const dcOffset = dcNext === undefined ? S * B * H : 0;
    const a = attrs as unknown as LstmStepAttrs;
    lstmStepBackward(storage.read(acts), storage.read(cPrev), dSeqView, dhView, dcView, dcOffset, B, H, a, dz, dcPrev);
    return out.infos;
  };
}

/**
 * Makes sure the active backend has both kernels: true when it has them already (the
 * `native` backend's C++ ones) or keeps tensors in host memory (cpu, wasm: the loops above
 * get registered); false for backends that keep tensors on a GPU.
 */
export function ensureLstmKernels(): boolean {
  const name = tf.getBackend();
  if (tf.getKernel(LSTM_STEP, name) != null) return true;
  const storage = storageOf(tf.backend());
  if (storage === null) return false;
  tf.registerKernel({ kernelName: LSTM_STEP, backendName: name, kernelFunc: stepKernel(storage) });
  tf.registerKernel({ kernelName: LSTM_STEP_GRAD, backendName: name, kernelFunc: stepGradKernel(storage) });
  return true;
}
