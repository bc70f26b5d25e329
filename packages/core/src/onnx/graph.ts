/**
 * OnnxGraph: a small builder for one ONNX graph. It hands out unique value and node names,
 * turns tfjs weights into initializers (once per variable), and writes the ModelProto.
 */

import { OptionError } from '../errors.js';
import { tf } from '../tf.js';
import {
  type AttributeProto,
  DataType,
  DEFAULT_OPSET,
  encodeModel,
  irVersionForOpset,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from './proto.js';

/**
 * An attribute value. Plain JS numbers are written as INT (and number[] as INTS) because most
 * ONNX attributes are integers; float attributes must say so: `{ float: 0.2 }`,
 * `{ floats: [0.2, 0.5] }`. Strings are STRING, and a TensorProto is TENSOR.
 */
export type AttrValue =
  | number
  | number[]
  | string
  | string[]
  | { float: number }
  | { floats: number[] }
  | { tensor: TensorProto };

/** Attributes of one node, by ONNX attribute name. */
export type Attrs = Record<string, AttrValue | undefined>;

/** tfjs dtypes the graph can declare for its inputs and outputs. */
export type ValueDtype = 'float32' | 'int32' | 'bool';

/** A dimension: a fixed size, or a symbolic name such as 'batch'. */
export type Dim = number | string;

const DTYPE_CODES: Record<ValueDtype, number> = { float32: DataType.FLOAT, int32: DataType.INT32, bool: DataType.BOOL };

/** Makes `raw` a legal, readable ONNX/C identifier-ish name (letters, digits, _ . / -). */
export function sanitizeName(raw: string): string {
  const cleaned = raw.replace(/[^A-Za-z0-9_./-]/g, '_');
  return cleaned.length > 0 ? cleaned : 'value';
}

function encodeAttr(name: string, value: AttrValue): AttributeProto {
  const T = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) {
      throw new OptionError(`Attribute '${name}' is ${value}: integers are written as INT; wrap floats as { float: ${value} }.`);
    }
    return { name, type: T.INT, i: value };
  }
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) {
      return { name, type: T.STRINGS, strings: (value as string[]).map((s) => new TextEncoder().encode(s)) };
    }
    return { name, type: T.INTS, ints: value as number[] };
  }
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  if ('floats' in value) return { name, type: T.FLOATS, floats: value.floats };
  return { name, type: T.TENSOR, t: value.tensor };
}

/** Options of {@link OnnxGraph.node}. */
export interface NodeOptions {
  /** Number of outputs; when given, `node()` returns an array of names. */
  outputs?: number;
  /** Prefix for the node and output names (defaults to the graph's current scope). */
  name?: string;
  /** Operator domain ('' = ai.onnx). */
  domain?: string;
}

/** Options of {@link OnnxGraph.toModelProto}. */
export interface ModelOptions {
  /** producer_version written into the model. */
  producerVersion?: string;
  /** metadata_props written into the model. */
  metadata?: Record<string, string>;
  /** Free text doc_string of the graph. */
  docString?: string;
}

/** Builds one ONNX graph; see the module comment. */
export class OnnxGraph {
  /** Default-domain opset the graph is written for. */
  readonly opset: number;
  /** Graph name written into the GraphProto. */
  name: string;
  /** Prefix for node names created without an explicit name (the exporter sets the layer name). */
  scope = 'node';
  readonly nodes: NodeProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();
  private readonly initByKey = new Map<string, string>();

  constructor(opset = DEFAULT_OPSET, name = 'neurozoo') {
    this.opset = opset;
    this.name = name;
  }

  /** A name not used yet by any value or node, based on `base`. */
  uniqueName(base: string): string {
    const clean = sanitizeName(base);
    let name = clean;
    for (let i = 1; this.used.has(name); i++) name = `${clean}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Declares a graph input; dims[0] is usually 'batch'. Returns its (unique) name. */
  input(name: string, dims: readonly Dim[], dtype: ValueDtype = 'float32'): string {
    const unique = this.uniqueName(name);
    this.inputs.push(valueInfo(unique, dims, dtype));
    return unique;
  }

  /** Declares an existing value as a graph output (the value keeps its name). */
  output(value: string, dims: readonly Dim[] | null, dtype: ValueDtype = 'float32'): void {
    this.outputs.push(valueInfo(value, dims, dtype));
  }

  /**
   * Adds a node and returns the name of its output, or the names of its `outputs` outputs when
   * that option is given. An empty string in `inputs` marks an omitted optional input.
   */
  node(opType: string, inputs: readonly string[], attrs?: Attrs, options?: NodeOptions & { outputs?: undefined }): string;
  node(opType: string, inputs: readonly string[], attrs: Attrs | undefined, options: NodeOptions & { outputs: number }): string[];
  node(opType: string, inputs: readonly string[], attrs?: Attrs, options?: NodeOptions): string | string[] {
    const prefix = options?.name ?? this.scope;
    const nodeName = this.uniqueName(`${prefix}/${opType}`);
    const count = options?.outputs ?? 1;
    const outs = Array.from({ length: count }, (_, i) => this.uniqueName(count === 1 ? `${nodeName}:0` : `${nodeName}:${i}`));
    const attribute = Object.entries(attrs ?? {})
      .filter((e): e is [string, AttrValue] => e[1] !== undefined)
      .map(([k, v]) => encodeAttr(k, v));
    this.nodes.push({ name: nodeName, opType, domain: options?.domain ?? '', input: [...inputs], output: outs, attribute });
    return options?.outputs === undefined ? outs[0] : outs;
  }

  /**
   * Adds a float32 initializer from a tf.Tensor, a tfjs-layers LayerVariable (anything with
   * `read()`) or a Float32Array (then `dims` is required). A tensor or variable already added is
   * not added twice: its id is the key, so a layer applied at several nodes shares its weights.
   */
  initializer(value: tf.Tensor | { read(): tf.Tensor; id: number; name: string } | Float32Array, dims?: readonly number[], name?: string): string {
    if (value instanceof Float32Array) {
      if (!dims) throw new OptionError('initializer(Float32Array) needs dims.');
      return this.addInit(name ?? 'const', DataType.FLOAT, dims, new Uint8Array(value.slice().buffer));
    }
    const isTensor = value instanceof tf.Tensor;
    const key = isTensor ? `tensor:${value.id}` : `variable:${value.id}`;
    const known = this.initByKey.get(key);
    if (known) return known;
    const tensor = isTensor ? value : value.read();
    const data = tensor.dtype === 'float32' ? (tensor.dataSync() as Float32Array) : Float32Array.from(tensor.dataSync());
    const base = name ?? (isTensor ? (value as tf.Tensor & { name?: string }).name ?? 'weight' : value.name);
    const initName = this.addInit(base, DataType.FLOAT, tensor.shape, new Uint8Array(data.slice().buffer));
    this.initByKey.set(key, initName);
    return initName;
  }

  /** An int64 initializer (Reshape shapes, axes, indices); identical constants are shared. */
  constantInt64(values: BigInt64Array | readonly number[], dims?: readonly number[]): string {
    const data = values instanceof BigInt64Array ? values : BigInt64Array.from(values, (v) => BigInt(v));
    const shape = dims ?? [data.length];
    const key = `i64:${shape.join(',')}:${data.join(',')}`;
    const known = this.initByKey.get(key);
    if (known) return known;
    const name = this.addInit('const_i64', DataType.INT64, shape, new Uint8Array(data.slice().buffer));
    this.initByKey.set(key, name);
    return name;
  }

  /** A float32 constant; `dims` defaults to a scalar for one value, else a vector. Shared when identical. */
  constantFloat(values: readonly number[] | Float32Array, dims?: readonly number[]): string {
    const data = Float32Array.from(values);
    const shape = dims ?? (data.length === 1 ? [] : [data.length]);
    const key = `f32:${shape.join(',')}:${Array.from(data).join(',')}`;
    const known = this.initByKey.get(key);
    if (known) return known;
    const name = this.addInit('const_f32', DataType.FLOAT, shape, new Uint8Array(data.buffer));
    this.initByKey.set(key, name);
    return name;
  }

  /**
   * A Reduce* node over `axes`. Handles the opset change: ReduceSum takes axes as an input from
   * opset 13, the other reductions (ReduceMean, ReduceMax, ...) only from opset 18.
   */
  reduce(opType: string, x: string, axes: readonly number[], keepdims = true): string {
    const axesAsInput = opType === 'ReduceSum' || this.opset >= 18;
    if (axesAsInput) return this.node(opType, [x, this.constantInt64(axes)], { keepdims: keepdims ? 1 : 0 });
    return this.node(opType, [x], { axes: [...axes], keepdims: keepdims ? 1 : 0 });
  }

  /**
   * Renames a node output (and every use of it) to a fresh name based on `to`, which is returned.
   * Returns null when `value` is not produced by a node (a graph input or an initializer).
   */
  renameValue(value: string, to: string): string | null {
    const producer = this.nodes.find((n) => n.output?.includes(value));
    if (!producer) return null;
    const name = this.uniqueName(to);
    for (const n of this.nodes) {
      n.input = n.input?.map((v) => (v === value ? name : v));
      n.output = n.output?.map((v) => (v === value ? name : v));
    }
    for (const o of this.outputs) if (o.name === value) o.name = name;
    return name;
  }

  /**
   * Removes nodes whose outputs nothing reads (no later node, no graph output), e.g. a layout
   * Transpose a converter emitted that the next converter bypassed. Nodes have no side effects in
   * ONNX, so this never changes what the graph computes. Returns the number of nodes removed.
   */
  prune(): number {
    const needed = new Set(this.outputs.map((o) => o.name as string));
    const kept: NodeProto[] = [];
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const n = this.nodes[i];
      if (!n.output?.some((o) => needed.has(o))) continue;
      kept.push(n);
      for (const v of n.input ?? []) needed.add(v);
    }
    const removed = this.nodes.length - kept.length;
    this.nodes.splice(0, this.nodes.length, ...kept.reverse());
    return removed;
  }

  /** The ModelProto as a plain object (producer 'neurozoo', one default-domain opset). */
  toModelProto(options: ModelOptions = {}): ModelProto {
    return {
      irVersion: irVersionForOpset(this.opset),
      producerName: 'neurozoo',
      producerVersion: options.producerVersion ?? '0.1.0',
      opsetImport: [{ domain: '', version: this.opset }],
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.name,
        docString: options.docString,
        node: this.nodes,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
      },
    };
  }

  /** Serialized ModelProto bytes. */
  toBytes(options: ModelOptions = {}): Uint8Array {
    return encodeModel(this.toModelProto(options));
  }

  private addInit(base: string, dataType: number, dims: readonly number[], rawData: Uint8Array): string {
    const name = this.uniqueName(base);
    this.initializers.push({ name, dataType, dims: [...dims], rawData });
    return name;
  }
}

function valueInfo(name: string, dims: readonly Dim[] | null, dtype: ValueDtype): ValueInfoProto {
  const shape = dims === null ? undefined : { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) };
  return { name, type: { tensorType: { elemType: DTYPE_CODES[dtype], shape } } };
}
