/**
 * quantizeOnnx(): a pass over ONNX bytes that shrinks the weights, in plain JavaScript (the
 * quantization tools of onnxruntime are Python).
 *
 * - 'int8' is dynamic quantization as onnxruntime's `quantize_dynamic` does it: every MatMul
 *   whose B is a constant 2-D float initializer becomes DynamicQuantizeLinear(A) ->
 *   MatMulInteger -> Cast(float) -> Mul(scale), and every Conv with a constant float kernel
 *   becomes DynamicQuantizeLinear(X) -> ConvInteger -> Cast -> Mul(scale) (-> Add(bias)).
 *   Weights are quantized symmetrically with one scale per output column/channel, stored as
 *   uint8 with zero point 128: onnxruntime's CPU ConvInteger takes uint8 weights only, and its
 *   uint8 x int8 MatMulInteger kernel on x86 (vpmaddubsw) saturates 16-bit pair sums, which
 *   uint8 x uint8 does not. Everything else stays fp32.
 * - 'fp16' stores every float initializer of at least `minElements` elements as float16,
 *   followed by a Cast back to float: compute stays fp32, the file halves.
 *
 * Only ops that onnxruntime's CPU provider (onnxruntime-node, and onnxruntime-web's wasm)
 * implements are written; all exist from opset 11, below the exporter's minimum of 13.
 */
import { NotQuantizableError, OptionError } from '../errors.js';
import { decodeOnnx, encodeModel, type GraphProto, type ModelProto, type NodeProto, onnx, type TensorProto, toNumber } from './proto.js';

/** The quantization modes {@link quantizeOnnx} knows. */
export const QUANTIZE_MODES = ['int8', 'fp16'] as const;
/** One of {@link QUANTIZE_MODES}. */
export type QuantizeMode = (typeof QUANTIZE_MODES)[number];

/** Options of {@link quantizeOnnx}. */
export interface QuantizeOptions {
  /** 'int8': dynamic int8 MatMul/Conv; 'fp16': float16 weights with a Cast after each. */
  mode: QuantizeMode;
  /** fp16 only: smaller float initializers (biases, constants) stay float32 (default 256). */
  minElements?: number;
}

const FLOAT = 1;
const UINT8 = 2;
const INT64 = 7;
const FLOAT16 = 10;
/** Zero point of the stored weights: symmetric int8 values shifted into uint8. */
const WEIGHT_ZERO_POINT = 128;

/** Throws an OptionError unless `mode` is one of {@link QUANTIZE_MODES}. */
export function checkQuantizeMode(mode: unknown): asserts mode is QuantizeMode {
  if (!QUANTIZE_MODES.includes(mode as QuantizeMode)) {
    throw new OptionError(`quantize must be one of ${QUANTIZE_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(mode)}.`);
  }
}

/**
 * Quantizes ONNX model bytes (see the module comment for what each mode writes).
 *
 * @example
 * ```ts
 * const small = quantizeOnnx(await exportOnnx(model), { mode: 'int8' });
 * ```
 * @throws OptionError for an unknown mode or a bad minElements.
 * @throws OnnxFormatError when the bytes are not an ONNX model.
 * @throws NotQuantizableError when nothing in the graph can be quantized in that mode; the
 * message lists the layers (node-name prefixes) and their ops.
 */
export function quantizeOnnx(bytes: Uint8Array, options: QuantizeOptions): Uint8Array {
  checkQuantizeMode(options?.mode);
  const minElements = options.minElements ?? 256;
  if (!Number.isInteger(minElements) || minElements < 1) throw new OptionError(`minElements must be a positive integer, got ${minElements}.`);
  const model = onnx.ModelProto.toObject(decodeOnnx(bytes)) as ModelProto;
  const graph = model.graph as GraphProto;
  graph.node ??= [];
  graph.initializer ??= [];
  const rewriter = new Rewriter(graph);
  const changed = options.mode === 'int8' ? rewriter.int8() : rewriter.fp16(minElements);
  if (changed === 0) {
    const what =
      options.mode === 'int8'
        ? 'it has no MatMul with a constant 2-D float weight and no Conv with a constant float kernel'
        : `it has no float initializer of ${minElements} or more elements`;
    throw new NotQuantizableError(options.mode, graph.name ?? 'model', what, layerOps(graph.node));
  }
  return encodeModel(model);
}

/** Layer name -> op types, from node names `<layer>/<op>` the exporter writes (else the node name). */
function layerOps(nodes: readonly NodeProto[]): Map<string, string[]> {
  const layers = new Map<string, string[]>();
  for (const n of nodes) {
    const name = n.name ?? '';
    const layer = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : name || String(n.opType);
    const ops = layers.get(layer) ?? [];
    if (!ops.includes(String(n.opType))) ops.push(String(n.opType));
    layers.set(layer, ops);
  }
  return layers;
}

/** Float32 values of a float initializer (raw_data or float_data). */
function floatValues(t: TensorProto): Float32Array {
  if (t.rawData && t.rawData.length > 0) {
    const raw = t.rawData;
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  }
  return Float32Array.from(t.floatData ?? []);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE float16 bits of `value`, rounded to nearest even (overflow -> inf, tiny -> subnormal/0). */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf, NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let h = mant >>> shift;
    if (rest > half || (rest === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++; // may carry into the exponent: still right
  return sign | h;
}

/** Symmetric per-channel quantization of `w` laid out as [channel][rest] or [rest][channel]. */
function quantizeChannels(w: Float32Array, channels: number, index: (c: number, k: number) => number): { q: Uint8Array; scales: Float32Array } {
  const per = w.length / channels;
  const q = new Uint8Array(w.length);
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let max = 0;
    for (let k = 0; k < per; k++) max = Math.max(max, Math.abs(w[index(c, k)]));
    const scale = max > 0 ? max / 127 : 1;
    scales[c] = scale;
    for (let k = 0; k < per; k++) {
      const i = index(c, k);
      q[i] = Math.max(-127, Math.min(127, Math.round(w[i] / scale))) + WEIGHT_ZERO_POINT;
    }
  }
  return { q, scales };
}

/** Rewrites one graph in place; every method returns how many weights it quantized. */
class Rewriter {
  private readonly used = new Set<string>();
  private readonly inits = new Map<string, TensorProto>();
  private readonly feeds: Set<string>;

  constructor(private readonly graph: GraphProto) {
    for (const n of graph.node ?? []) for (const v of [n.name, ...(n.input ?? []), ...(n.output ?? [])]) if (v) this.used.add(v);
    for (const t of graph.initializer ?? []) {
      this.used.add(t.name as string);
      this.inits.set(t.name as string, t);
    }
    // Old exporters list initializers among the inputs: those can be fed, so are not constants.
    this.feeds = new Set((graph.input ?? []).map((i) => i.name as string));
  }

  private unique(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  private constFloat(name: string): { t: TensorProto; dims: number[] } | null {
    const t = this.inits.get(name);
    if (!t || this.feeds.has(name) || t.dataType !== FLOAT) return null;
    return { t, dims: (t.dims ?? []).map(toNumber) };
  }

  private addInit(base: string, dataType: number, dims: number[], rawData: Uint8Array): string {
    const name = this.unique(base);
    const t: TensorProto = { name, dataType, dims, rawData };
    (this.graph.initializer as TensorProto[]).push(t);
    this.inits.set(name, t);
    return name;
  }

  int8(): number {
    const out: NodeProto[] = [];
    const quantizedInputs = new Map<string, string[]>();
    const weights = new Map<string, { q: string; zp: string; scale: string }>();
    let count = 0;
    for (const node of this.graph.node as NodeProto[]) {
      const [x, w, bias] = node.input ?? [];
      const weight = w ? this.constFloat(w) : null;
      const isMatMul = node.opType === 'MatMul' && weight?.dims.length === 2;
      const isConv = node.opType === 'Conv' && (weight?.dims.length ?? 0) >= 3;
      if (!weight || !(isMatMul || isConv) || (node.domain ?? '') !== '') {
        out.push(node);
        continue;
      }
      count++;
      const scope = node.name?.includes('/') ? node.name.slice(0, node.name.lastIndexOf('/')) : (node.name ?? 'node');
      const make = (opType: string, inputs: string[], outputs: number | string[], attribute: NodeProto['attribute'] = []) => {
        const name = this.unique(`${scope}/${opType}`);
        const names = typeof outputs === 'number' ? Array.from({ length: outputs }, (_, i) => this.unique(`${name}:${i}`)) : outputs;
        out.push({ name, opType, domain: '', input: inputs, output: names, attribute });
        return names;
      };
      let xq = quantizedInputs.get(x);
      if (!xq) {
        xq = make('DynamicQuantizeLinear', [x], 3);
        quantizedInputs.set(x, xq);
      }
      let wq = weights.get(w);
      if (!wq) {
        wq = this.quantizeWeight(w, weight.t, weight.dims, isMatMul);
        weights.set(w, wq);
      }
      const [xQuant, xScale, xZero] = xq;
      const integer = isMatMul
        ? make('MatMulInteger', [xQuant, wq.q, xZero, wq.zp], 1)[0]
        : make('ConvInteger', [xQuant, wq.q, xZero, wq.zp], 1, node.attribute)[0];
      const asFloat = make('Cast', [integer], 1, [{ name: 'to', type: 2, i: FLOAT }])[0];
      const scale = make('Mul', [xScale, wq.scale], 1)[0];
      const result = node.output?.[0] as string;
      if (isConv && bias) {
        const scaled = make('Mul', [asFloat, scale], 1)[0];
        // ConvInteger has no bias input: add it per channel, shaped [M, 1, ...] to broadcast.
        const biasDims = [weight.dims[0], ...weight.dims.slice(2).map(() => 1)];
        const b = this.constFloat(bias);
        const channelBias = b
          ? this.addInit(`${bias}_channel`, FLOAT, biasDims, new Uint8Array(floatValues(b.t).buffer))
          : make('Reshape', [bias, this.addInit(`${bias}_shape`, INT64, [biasDims.length], new Uint8Array(BigInt64Array.from(biasDims, BigInt).buffer))], 1)[0];
        make('Add', [scaled, channelBias], [result]);
      } else {
        make('Mul', [asFloat, scale], [result]);
      }
    }
    this.graph.node = out;
    this.dropUnused();
    return count;
  }

  /** uint8 weight (zero point 128) and its per-output-channel scales, shaped to broadcast against the op's output. */
  private quantizeWeight(name: string, t: TensorProto, dims: number[], isMatMul: boolean) {
    const w = floatValues(t);
    // MatMul B is [K, N]: channel = column. Conv W is [M, C/group, kh, kw]: channel = first axis.
    const channels = isMatMul ? dims[1] : dims[0];
    const per = w.length / channels;
    const { q, scales } = isMatMul ? quantizeChannels(w, channels, (c, k) => k * channels + c) : quantizeChannels(w, channels, (c, k) => c * per + k);
    const scaleDims = isMatMul ? [channels] : [channels, ...dims.slice(2).map(() => 1)];
    return {
      q: this.addInit(`${name}_quantized`, UINT8, dims, q),
      zp: this.addInit(`${name}_zero_point`, UINT8, [], new Uint8Array([WEIGHT_ZERO_POINT])),
      scale: this.addInit(`${name}_scale`, FLOAT, scaleDims, new Uint8Array(scales.buffer)),
    };
  }

  fp16(minElements: number): number {
    const casts: NodeProto[] = [];
    const kept: TensorProto[] = [];
    for (const t of this.graph.initializer as TensorProto[]) {
      const dims = (t.dims ?? []).map(toNumber);
      const size = dims.reduce((a, d) => a * d, 1);
      if (t.dataType !== FLOAT || this.feeds.has(t.name as string) || size < minElements) {
        kept.push(t);
        continue;
      }
      const values = floatValues(t);
      const half = new Uint16Array(values.length);
      for (let i = 0; i < values.length; i++) half[i] = toFloat16Bits(values[i]);
      const name = this.unique(`${t.name}_fp16`);
      kept.push({ name, dataType: FLOAT16, dims, rawData: new Uint8Array(half.buffer) });
      casts.push({ name: this.unique(`${t.name}/Cast`), opType: 'Cast', domain: '', input: [name], output: [t.name as string], attribute: [{ name: 'to', type: 2, i: FLOAT }] });
    }
    this.graph.initializer = kept;
    this.graph.node = [...casts, ...(this.graph.node as NodeProto[])];
    return casts.length;
  }

  /** Removes the float initializers the rewrite left unread. */
  private dropUnused(): void {
    const read = new Set<string>();
    for (const n of this.graph.node ?? []) for (const v of n.input ?? []) read.add(v);
    for (const o of this.graph.output ?? []) read.add(o.name as string);
    this.graph.initializer = (this.graph.initializer ?? []).filter((t) => read.has(t.name as string) || this.feeds.has(t.name as string));
  }
}
