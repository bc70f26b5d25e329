/**
 * tfjs recurrent weights -> ONNX LSTM/GRU/RNN weights, and tfjs activations -> ONNX RNN
 * activation attributes.
 *
 * tfjs keeps kernel [I, G*H], recurrent kernel [H, G*H] and bias [G*H] with the gates in its
 * order (LSTM i,f,c,o; GRU z,r,h); ONNX wants W [dirs, G*H, I], R [dirs, G*H, H] and
 * B [dirs, 2*G*H] = Wb ++ Rb in its order (LSTM i,o,f,c; GRU z,r,h). tfjs has one bias per gate,
 * so Rb is zeros.
 */
import { OptionError } from '../../errors.js';
import type { tf } from '../../tf.js';

/** The ONNX op a tfjs recurrent layer class becomes. */
export type RecurrentOp = 'LSTM' | 'GRU' | 'RNN';

/** A tfjs-layers variable (what `cell.kernel` holds). */
interface Variable {
  read(): tf.Tensor;
}

/** The fields of a tfjs LSTMCell / GRUCell / SimpleRNNCell the converters read. */
export interface CellProps {
  units: number;
  kernel: Variable;
  recurrentKernel: Variable;
  bias: Variable | null;
  useBias: boolean;
  activation: unknown;
  recurrentActivation?: unknown;
}

/** For each ONNX gate slot, the tfjs gate it takes. */
const GATE_ORDER: Record<RecurrentOp, number[]> = { LSTM: [0, 3, 1, 2], GRU: [0, 1, 2], RNN: [0] };

/** Number of gates of an op. */
export const gateCount = (op: RecurrentOp): number => GATE_ORDER[op].length;

/** [rows, G*H] row-major in tfjs gate order -> [G*H, rows] in ONNX gate order. */
function reorderTransposed(data: Float32Array, rows: number, op: RecurrentOp, units: number): Float32Array {
  const order = GATE_ORDER[op];
  const cols = order.length * units;
  const out = new Float32Array(rows * cols);
  order.forEach((tfGate, slot) => {
    for (let h = 0; h < units; h++) {
      const src = tfGate * units + h;
      const dst = (slot * units + h) * rows;
      for (let i = 0; i < rows; i++) out[dst + i] = data[i * cols + src];
    }
  });
  return out;
}

/** One direction's W, R and B in ONNX layout (without the leading dirs axis). */
export interface DirectionWeights {
  W: Float32Array;
  R: Float32Array;
  B: Float32Array;
  inputSize: number;
}

/** Reads a cell's weights and lays them out for ONNX. */
export function directionWeights(cell: CellProps, op: RecurrentOp): DirectionWeights {
  const H = cell.units;
  const G = gateCount(op);
  const kernel = cell.kernel.read().dataSync() as Float32Array;
  const inputSize = kernel.length / (G * H);
  const W = reorderTransposed(kernel, inputSize, op, H);
  const R = reorderTransposed(cell.recurrentKernel.read().dataSync() as Float32Array, H, op, H);
  const B = new Float32Array(2 * G * H);
  if (cell.useBias && cell.bias) {
    const bias = cell.bias.read().dataSync() as Float32Array;
    GATE_ORDER[op].forEach((tfGate, slot) => B.set(bias.subarray(tfGate * H, (tfGate + 1) * H), slot * H));
  }
  return { W, R, B, inputSize };
}

/** Concatenates per-direction arrays along a new leading axis. */
export function stack(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** An ONNX RNN-family activation with its optional alpha/beta. */
export interface OnnxActivation {
  name: string;
  alpha?: number;
  beta?: number;
}

const ACTIVATIONS: Record<string, OnnxActivation> = {
  tanh: { name: 'Tanh' },
  sigmoid: { name: 'Sigmoid' },
  relu: { name: 'Relu' },
  hardSigmoid: { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 },
  linear: { name: 'Affine', alpha: 1, beta: 0 },
  softsign: { name: 'Softsign' },
  softplus: { name: 'Softplus' },
  elu: { name: 'Elu', alpha: 1 },
};

/** The identifier of a tfjs activation object ('tanh', 'hardSigmoid', ...). */
function activationId(activation: unknown): string {
  if (activation == null) return 'linear';
  if (typeof activation === 'string') return activation;
  return (activation as { getClassName(): string }).getClassName();
}

/** Maps a tfjs activation to the ONNX recurrent activation; throws OptionError for others. */
export function onnxActivation(activation: unknown, layer: string): OnnxActivation {
  const id = activationId(activation);
  const found = ACTIVATIONS[id];
  if (!found) {
    throw new OptionError(
      `Layer '${layer}': activation '${id}' has no ONNX recurrent equivalent. Supported: ${Object.keys(ACTIVATIONS).join(', ')}.`,
    );
  }
  return found;
}

/**
 * The activations / activation_alpha / activation_beta attributes for `dirs` directions. ONNX
 * consumes alpha and beta values in the order of the activations that take them.
 */
export function activationAttrs(acts: OnnxActivation[], dirs: number) {
  const all = Array.from({ length: dirs }, () => acts).flat();
  const alpha = all.filter((a) => a.alpha !== undefined).map((a) => a.alpha as number);
  const beta = all.filter((a) => a.beta !== undefined).map((a) => a.beta as number);
  return {
    activations: all.map((a) => a.name),
    activation_alpha: alpha.length > 0 ? { floats: alpha } : undefined,
    activation_beta: beta.length > 0 ? { floats: beta } : undefined,
  };
}
