/**
 * inspectOnnx(): a summary of ONNX bytes (opset, inputs, outputs, op histogram, parameter
 * count, metadata) without tfjs or onnxruntime, e.g. for a CLI `inspect` command.
 */
import { decodeOnnx, type onnx, toNumber, type ValueInfoProto } from './proto.js';

/** One graph input or output. */
export interface OnnxValueSummary {
  name: string;
  /** Fixed sizes as numbers, symbolic ones ('batch') as strings, unknown as '?'. */
  dims: Array<number | string>;
  /** ONNX element type name: 'float32', 'int64', ... */
  dtype: string;
}

/** What {@link inspectOnnx} reports. */
export interface OnnxSummary {
  irVersion: number;
  /** Version of the default (ai.onnx) domain. */
  opset: number;
  /** producer_name and producer_version, e.g. 'neurozoo 0.1.0'. */
  producer: string;
  inputs: OnnxValueSummary[];
  outputs: OnnxValueSummary[];
  /** Node count per op type (default-domain ops by name, others as 'domain::Op'). */
  opHistogram: Record<string, number>;
  /**
   * Elements of floating-point initializers (weights and float constants). Int64 constants
   * (shapes, axes) do not count. Equals tfjs `countParams()` for models without folded or
   * constant parameters (BatchNormalization folds 4 vectors into 2).
   */
  parameterCount: number;
  metadata: Record<string, string>;
}

const ELEM_TYPES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string',
  9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16',
};
const FLOAT_TYPES = new Set([1, 10, 11, 16]);

function summarize(v: ValueInfoProto): OnnxValueSummary {
  const t = v.type?.tensorType;
  const dims = (t?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue != null ? toNumber(d.dimValue) : '?'));
  return { name: v.name ?? '', dims, dtype: ELEM_TYPES[t?.elemType ?? 0] ?? `type${t?.elemType}` };
}

/**
 * Summarizes ONNX model bytes.
 * @throws OnnxFormatError when the bytes are not an ONNX model.
 */
export function inspectOnnx(bytes: Uint8Array): OnnxSummary {
  const model = decodeOnnx(bytes);
  const graph = model.graph as InstanceType<typeof onnx.GraphProto>;
  const opset = model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx');
  const opHistogram: Record<string, number> = {};
  for (const n of graph.node) {
    const key = n.domain ? `${n.domain}::${n.opType}` : String(n.opType);
    opHistogram[key] = (opHistogram[key] ?? 0) + 1;
  }
  let parameterCount = 0;
  for (const init of graph.initializer) {
    if (FLOAT_TYPES.has(init.dataType ?? 0)) parameterCount += (init.dims ?? []).reduce((a: number, d) => a * toNumber(d), 1);
  }
  const initNames = new Set(graph.initializer.map((i) => i.name));
  return {
    irVersion: toNumber(model.irVersion),
    opset: opset ? toNumber(opset.version) : 0,
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    // Old exporters list initializers among the inputs; they are not feeds.
    inputs: graph.input.filter((i) => !initNames.has(i.name)).map(summarize),
    outputs: graph.output.map(summarize),
    opHistogram,
    parameterCount,
    metadata: Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value])),
  };
}
