/**
 * verifyOnnx(): runs a tfjs model and its ONNX export (onnxruntime-node's cpu, or onnxruntime-web's
 * wasm where onnxruntime-node is not installed) on the same inputs and reports how far apart
 * their outputs are.
 */
import { cpuRuntime } from './runtime/node-ort.js';
import type { OrtModule, OrtTensor } from './runtime/ort.js';
import { ShapeError } from './errors.js';
import { Rng } from './random.js';
import { tf } from './tf.js';

/** Error of one output. */
export interface OutputError {
  /** The ONNX output name. */
  name: string;
  /** max_i |onnx_i - tfjs_i|. */
  maxAbsError: number;
  /**
   * maxAbsError / max(max_i |tfjs_i|, 1e-6): the error relative to the output's scale. An
   * element-wise ratio would explode on outputs near zero (a ReLU's zeros, a centred
   * LayerNormalization), so the reference's largest magnitude is the denominator.
   */
  maxRelError: number;
}

/** What {@link verifyOnnx} reports: per output, and the worst over all outputs. */
export interface VerifyResult {
  outputs: OutputError[];
  maxAbsError: number;
  maxRelError: number;
}

type Layer = tf.layers.Layer;
interface NodeLike {
  inputTensors: tf.SymbolicTensor[];
}

/** Smallest `inputDim` of the Embedding layers `t` feeds directly (through nested models too). */
function embeddingVocab(container: tf.LayersModel, t: tf.SymbolicTensor): number | null {
  let vocab: number | null = null;
  for (const layer of container.layers as Layer[]) {
    for (const node of (layer as unknown as { inboundNodes: NodeLike[] }).inboundNodes) {
      const idx = node.inputTensors.findIndex((x) => x.id === t.id);
      if (idx < 0) continue;
      let v: number | null = null;
      if (layer.getClassName() === 'Embedding') v = (layer as unknown as { inputDim: number }).inputDim;
      else if (layer instanceof tf.LayersModel) v = embeddingVocab(layer, layer.inputs[idx]);
      if (v != null) vocab = vocab == null ? v : Math.min(vocab, v);
    }
  }
  return vocab;
}

/**
 * Random inputs for `model`: standard normal float32 values, or, for inputs that feed an
 * Embedding layer or are int32, integer ids in [0, vocab) (vocab 10 for plain int32 inputs).
 * Unknown non-batch sizes become 4. Seeded, so repeated calls give the same tensors.
 */
export function randomInputs(model: tf.LayersModel, batch = 3, seed = 0): tf.Tensor[] {
  const rng = new Rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  return model.inputs.map((t) => {
    const shape = [batch, ...t.shape.slice(1).map((d) => d ?? 4)];
    const size = shape.reduce((a, b) => a * b, 1);
    const vocab = embeddingVocab(model, t) ?? (t.dtype === 'int32' ? 10 : null);
    const data = Array.from({ length: size }, () => (vocab == null ? normal() : rng.int(vocab)));
    return tf.tensor(data, shape, t.dtype === 'int32' ? 'int32' : 'float32');
  });
}

function compare(name: string, actual: ArrayLike<number>, expected: ArrayLike<number>): OutputError {
  let maxAbs = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (Number.isNaN(a) || Number.isNaN(b)) {
      if (!(Number.isNaN(a) && Number.isNaN(b))) maxAbs = Infinity;
      continue;
    }
    const d = a === b ? 0 : Math.abs(a - b);
    if (d > maxAbs) maxAbs = d;
    if (Number.isFinite(b) && Math.abs(b) > scale) scale = Math.abs(b);
  }
  return { name, maxAbsError: maxAbs, maxRelError: maxAbs / Math.max(scale, 1e-6) };
}

function ortTensor(ort: OrtModule, data: tf.TypedArray, dtype: string, dims: number[]): OrtTensor {
  if (dtype === 'int32') return new ort.Tensor('int32', Int32Array.from(data), dims);
  if (dtype === 'bool') return new ort.Tensor('bool', Uint8Array.from(data), dims);
  return new ort.Tensor('float32', Float32Array.from(data), dims);
}

/**
 * Runs `model.predict` and the ONNX model (onnxruntime-node on cpu, else onnxruntime-web on wasm) on the
 * same inputs and measures the output differences (see {@link OutputError} for the
 * definitions). Inputs default to {@link randomInputs} with batch 3. Inputs are fed by position
 * (model.inputs order = ONNX graph input order for models from exportOnnx), outputs compared
 * by position. Disposes every tensor it creates.
 *
 * @throws ShapeError when input/output counts or output shapes differ.
 */
export async function verifyOnnx(
  model: tf.LayersModel,
  onnxBytes: Uint8Array,
  inputs?: tf.Tensor | tf.Tensor[],
): Promise<VerifyResult> {
  const own = inputs === undefined;
  const xs = own ? randomInputs(model) : Array.isArray(inputs) ? inputs : [inputs];
  let predicted: tf.Tensor[] = [];
  const { ort, executionProvider } = await cpuRuntime();
  const session = await ort.InferenceSession.create(onnxBytes, { executionProviders: [executionProvider] });
  try {
    if (session.inputNames.length !== xs.length) {
      throw new ShapeError(`The ONNX model has ${session.inputNames.length} input(s), the tfjs inputs are ${xs.length}.`);
    }
    const feeds: Record<string, OrtTensor> = {};
    xs.forEach((x, i) => {
      feeds[session.inputNames[i]] = ortTensor(ort, x.dataSync(), model.inputs[i]?.dtype ?? x.dtype, x.shape);
    });
    const out = tf.tidy(() => model.predict(xs.length === 1 ? xs[0] : xs));
    predicted = Array.isArray(out) ? out : [out];
    const results = await session.run(feeds);
    if (session.outputNames.length !== predicted.length) {
      throw new ShapeError(`The ONNX model has ${session.outputNames.length} output(s), the tfjs model ${predicted.length}.`);
    }
    const outputs: OutputError[] = [];
    for (let i = 0; i < predicted.length; i++) {
      const name = session.outputNames[i];
      const actual = results[name];
      const expected = predicted[i];
      const dims = actual.dims.map(Number);
      if (dims.length !== expected.shape.length || dims.some((d, k) => d !== expected.shape[k])) {
        throw new ShapeError(`Output '${name}': ONNX shape [${dims}] differs from tfjs shape [${expected.shape}].`);
      }
      const data = actual.data instanceof BigInt64Array ? Array.from(actual.data, Number) : (actual.data as ArrayLike<number>);
      outputs.push(compare(name, data, await expected.data()));
    }
    return {
      outputs,
      maxAbsError: Math.max(0, ...outputs.map((o) => o.maxAbsError)),
      maxRelError: Math.max(0, ...outputs.map((o) => o.maxRelError)),
    };
  } finally {
    tf.dispose(predicted);
    if (own) tf.dispose(xs);
    await session.release();
  }
}
