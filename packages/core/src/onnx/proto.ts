/**
 * ONNX protobuf serialization through the `onnx-proto` package (onnx.proto of ONNX 1.10
 * compiled for protobufjs 6). Everything that touches the generated classes lives here, so
 * the rest of the exporter works with plain objects.
 */
import onnxProto from 'onnx-proto';
import { OnnxFormatError } from '../errors.js';

const { onnx } = onnxProto;

export { onnx };

/** The plain-object ModelProto shape that {@link encodeModel} accepts and {@link decodeOnnx} returns. */
export type ModelProto = onnxProto.onnx.IModelProto;
/** Plain-object GraphProto. */
export type GraphProto = onnxProto.onnx.IGraphProto;
/** Plain-object NodeProto. */
export type NodeProto = onnxProto.onnx.INodeProto;
/** Plain-object TensorProto (initializers). */
export type TensorProto = onnxProto.onnx.ITensorProto;
/** Plain-object ValueInfoProto (graph inputs and outputs). */
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;
/** Plain-object AttributeProto. */
export type AttributeProto = onnxProto.onnx.IAttributeProto;

/** Opset written when the caller does not ask for another: see docs/facts (ONNX section). */
export const DEFAULT_OPSET = 17;
/** Lowest opset the converters are written for (Softmax-13 semantics, axes as inputs). */
export const MIN_OPSET = 13;
/** Highest opset the converters are checked against. */
export const MAX_OPSET = 21;

/** ONNX TensorProto.DataType codes used by the exporter. */
export const DataType = {
  FLOAT: 1,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
} as const;

/**
 * The IR version to pair with an opset. IR 8 up to opset 18 (python3-onnx 1.12's checker
 * rejects IR > 8, so the default opset 17 stays loadable there); newer opsets need the IR
 * version that introduced them (opset 19/20 -> IR 9, opset 21 -> IR 10).
 */
export function irVersionForOpset(opset: number): number {
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

/** Serializes a plain-object ModelProto to bytes. */
export function encodeModel(model: ModelProto): Uint8Array {
  const message = onnx.ModelProto.fromObject(model);
  return onnx.ModelProto.encode(message).finish();
}

/** Converts a protobufjs int64 field (number or Long) to a JS number. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value != null && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  return Number(value);
}

/**
 * Parses ONNX bytes into a ModelProto message.
 *
 * @throws OnnxFormatError when the bytes are not a protobuf message, or decode to a message
 * without the fields every ModelProto has (ir_version, opset_import, graph). Protobuf is
 * permissive (many random byte strings decode to *some* message), so the field check is what
 * rejects JSON or other files in practice.
 */
export function decodeOnnx(bytes: Uint8Array): onnxProto.onnx.ModelProto {
  const what = `${bytes.length} bytes`;
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new OnnxFormatError(`${what} is not an ONNX model: protobuf decoding failed (${(err as Error).message}).`);
  }
  const missing: string[] = [];
  if (!model.irVersion || toNumber(model.irVersion) <= 0) missing.push('ir_version');
  if (!model.opsetImport || model.opsetImport.length === 0) missing.push('opset_import');
  if (!model.graph) missing.push('graph');
  if (missing.length > 0) {
    throw new OnnxFormatError(`${what} is not an ONNX model: the ModelProto has no ${missing.join(', ')}.`);
  }
  return model;
}
