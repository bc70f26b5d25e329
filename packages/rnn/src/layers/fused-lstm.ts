/**
 * A fused training path for tfjs-layers' LSTM layer, installed when @neurozoo/rnn is
 * imported. tfjs-layers runs every time step as ~15 ops forward and ~30 backward, with
 * the input projection x·W inside the loop. Here the whole sequence is one custom-gradient
 * op, as cuDNN and PyTorch arrange it:
 * - forward: x·W + b for all steps in one product; per step one h·U product and one
 *   elementwise kernel (core's `LSTM_STEP`, C++ on the native backend);
 * - backward (by hand, through time): per step one elementwise kernel and one dz·Uᵀ
 *   product; the weight gradients Xᵀ·dZ, Hᵀ·dZ, Σ dZ and dX = dZ·Wᵀ as single products
 *   over all steps.
 * Same layer class, weights, config and results (tests: forward and every gradient equal
 * tfjs-layers' own loop), so saved models, the ONNX converters and Bidirectional wrappers
 * are untouched. Cases it does not cover run tfjs-layers' code: masks, dropout, stateful
 * layers, activations other than tanh with sigmoid/hardSigmoid gates, and backends that
 * keep tensors on a GPU.
 */
import { ensureLstmKernels, LSTM_STEP, LSTM_STEP_GRAD, type LstmStepAttrs, tf } from '@neurozoo/core';

type Gate = LstmStepAttrs['gate'];

const runKernel = (name: string, inputs: Record<string, tf.Tensor>, attrs: LstmStepAttrs) =>
  tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];

/**
 * Runs an LSTM over x [B, T, I] from states h0, c0 [B, H] with kernel W [I, 4H], recurrent
 * kernel U [H, 4H] and bias b [4H] (gate order i, f, g, o). Returns one tensor
 * [T + 1, B, H]: h of every step in processing order (reversed time when `goBackwards`,
 * as tfjs-layers returns it), then the last c. One output because a custom gradient has one.
 */
export function lstmSequence(
  x: tf.Tensor3D,
  h0: tf.Tensor2D,
  c0: tf.Tensor2D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  gate: Gate,
  goBackwards = false,
): tf.Tensor3D {
  const [B, T, I] = x.shape;
  const H = recurrentKernel.shape[0];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, hInit, cInit, W, U, b] = args as tf.Tensor[];
    const save = args[6] as tf.GradSaveFunc;
    // Time-major rows [T * B, I]. With goBackwards, step s reads time T-1-s (no reversed copy).
    const xs = tf.reshape(tf.transpose(xIn, [1, 0, 2]), [T * B, I]);
    const xp = tf.reshape(tf.add(tf.matMul(xs, W), b), [T, B, 4 * H]);
    const hs: tf.Tensor[] = [];
    const cs: tf.Tensor[] = [cInit];
    const acts: tf.Tensor[] = [];
    let h = hInit;
    for (let s = 0; s < T; s++) {
      const r = tf.matMul(h, U);
      const [hNext, cNext, a] = runKernel(LSTM_STEP, { xp, r, cPrev: cs[s] }, { step: goBackwards ? T - 1 - s : s, gate });
      r.dispose();
      hs.push(hNext);
      cs.push(cNext);
      acts.push(a);
      h = hNext;
    }
    const packed = tf.reshape(tf.concat([...hs, cs[T]], 0), [T + 1, B, H]) as tf.Tensor3D;
    // What the backward pass reads, only when a gradient is being recorded (not in predict).
    if (tf.engine().state.gradientDepth > 0) {
      // The state each step started from, in time order (the rows of xs): for Uᵀ·dZ.
      const hPrevSteps = [hInit, ...hs.slice(0, T - 1)];
      const hPrev = tf.concat(goBackwards ? hPrevSteps.reverse() : hPrevSteps, 0); // [T * B, H]
      const cPrev = tf.reshape(tf.concat(cs.slice(0, T), 0), [T, B, H]);
      save([xs, W, U, tf.reshape(tf.concat(acts, 0), [T, B, 5 * H]), cPrev, hPrev]);
    }
    return {
      value: packed,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => lstmSequenceGrad(dy, saved, T, B, I, gate, goBackwards),
    };
  });
  return op(x, h0, c0, kernel, recurrentKernel, bias) as tf.Tensor3D;
}

/** Backpropagation through time for {@link lstmSequence}; gradients of x, h0, c0, W, U, b. */
function lstmSequenceGrad(dy: tf.Tensor, saved: tf.Tensor[], T: number, B: number, I: number, gate: Gate, goBackwards: boolean): tf.Tensor[] {
  // acts, cPrev and dy are in processing order (step s); xs, hPrev and dZ in time order.
  const [xs, W, U, acts, cPrev, hPrev] = saved;
  const dzs: tf.Tensor[] = new Array(T);
  // Uᵀ once: a transposed operand costs wasm's matmul ~3x per call (an explicit transpose each time).
  const UT = tf.transpose(U);
  let dh: tf.Tensor | undefined;
  let dc: tf.Tensor | undefined;
  for (let s = T - 1; s >= 0; s--) {
    const inputs: Record<string, tf.Tensor> = { acts, cPrev, dSeq: dy };
    if (dh !== undefined) inputs.dh = dh;
    if (dc !== undefined) inputs.dcNext = dc;
    const [dz, dcPrev] = runKernel(LSTM_STEP_GRAD, inputs, { step: s, gate });
    tf.dispose([dh, dc].filter((t): t is tf.Tensor => t !== undefined));
    dh = tf.matMul(dz, UT);
    dc = dcPrev;
    dzs[goBackwards ? T - 1 - s : s] = dz; // time order, like the rows of xs and hPrev
  }
  const dZ = tf.concat(dzs, 0); // [T * B, 4H]
  tf.dispose([...dzs, UT]);
  const dW = tf.matMul(xs, dZ, true, false);
  const dU = tf.matMul(hPrev, dZ, true, false);
  const db = tf.sum(dZ, 0);
  const dx = tf.transpose(tf.reshape(tf.matMul(dZ, W, false, true), [T, B, I]), [1, 0, 2]);
  return [dx, dh as tf.Tensor, dc as tf.Tensor, dW, dU, db];
}

/** The parts of tfjs-layers' LSTM layer (and its cell) the fused path reads. */
interface LstmLayer {
  goBackwards: boolean;
  returnSequences: boolean;
  returnState: boolean;
  stateful: boolean;
  cell: {
    units: number;
    dropout: number;
    recurrentDropout: number;
    activation: { getClassName(): string };
    recurrentActivation: { getClassName(): string };
    kernel: { read(): tf.Tensor };
    recurrentKernel: { read(): tf.Tensor };
    bias: { read(): tf.Tensor } | null;
  };
}

type Kwargs = { mask?: unknown; initialState?: tf.Tensor[] } | undefined;

/** The gate activation when the fused path covers this call, else null. */
function fusedGate(layer: LstmLayer, x: tf.Tensor, kwargs: Kwargs): Gate | null {
  const { cell } = layer;
  const gate = cell.recurrentActivation.getClassName();
  if (gate !== 'sigmoid' && gate !== 'hardSigmoid') return null;
  if (cell.activation.getClassName() !== 'tanh') return null;
  if (cell.dropout > 0 || cell.recurrentDropout > 0 || layer.stateful) return null;
  if (kwargs?.mask != null || x.rank !== 3 || x.dtype !== 'float32' || x.shape[1] === 0) return null;
  const init = kwargs?.initialState;
  if (init != null && init.length !== 2) return null;
  return ensureLstmKernels() ? gate : null;
}

let enabled = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NEUROZOO_FUSED_LSTM !== '0';

/** Turns the fused LSTM path on or off (default on; env NEUROZOO_FUSED_LSTM=0 turns it off). */
export function setFusedLstm(on: boolean): void {
  enabled = on;
}

/** Whether LSTM layers use the fused path where it applies. */
export function fusedLstmEnabled(): boolean {
  return enabled;
}

function fusedCall(layer: LstmLayer, x: tf.Tensor3D, gate: Gate, kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
  const { cell } = layer;
  const [B, T] = x.shape;
  const H = cell.units;
  const [h0, c0] = kwargs?.initialState ?? [tf.zeros([B, H]), tf.zeros([B, H])];
  const bias = cell.bias?.read() ?? tf.zeros([4 * H]);
  const packed = lstmSequence(x, h0 as tf.Tensor2D, c0 as tf.Tensor2D, cell.kernel.read() as tf.Tensor2D, cell.recurrentKernel.read() as tf.Tensor2D, bias as tf.Tensor1D, gate, layer.goBackwards);
  const lastH = tf.reshape(tf.slice(packed, [T - 1, 0, 0], [1, B, H]), [B, H]);
  const output = layer.returnSequences ? tf.transpose(tf.slice(packed, [0, 0, 0], [T, B, H]), [1, 0, 2]) : lastH;
  if (!layer.returnState) return output;
  return [output, lastH, tf.reshape(tf.slice(packed, [T, 0, 0], [1, B, H]), [B, H])];
}

let installed = false;

/**
 * Routes tfjs-layers' LSTM layer through {@link lstmSequence} where it applies (see the
 * module comment). Idempotent; `@neurozoo/rnn` calls it on import.
 */
export function installFusedLstm(): void {
  if (installed) return;
  const registered = tf.serialization.SerializationMap.getMap().classNameMap.LSTM;
  if (registered === undefined) return;
  const proto = (registered[0] as unknown as { prototype: { call: (inputs: unknown, kwargs: Kwargs) => unknown } }).prototype;
  const original = proto.call;
  proto.call = function (this: LstmLayer, inputs: unknown, kwargs: Kwargs) {
    const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : null) : inputs;
    const gate = enabled && x instanceof tf.Tensor ? fusedGate(this, x, kwargs) : null;
    if (gate === null) return original.call(this, inputs, kwargs);
    return tf.tidy(() => fusedCall(this, x as tf.Tensor3D, gate, kwargs));
  };
  installed = true;
}
