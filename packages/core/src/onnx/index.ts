/**
 * ONNX export: tfjs LayersModel -> ONNX bytes, the converter registry families extend, and
 * helpers to read ONNX bytes back. Core's converters are available without registration.
 */

export { supportedActivations } from './converters/activations.js';
export { type BatchNormParams, foldBatchNorm } from './converters/normalization.js';
export { type ExportOnnxOptions, exportOnnx } from './export.js';
export { type Attrs, type AttrValue, type Dim, type ModelOptions, type NodeOptions, OnnxGraph, sanitizeName, type ValueDtype } from './graph.js';
export { inspectOnnx, type OnnxSummary, type OnnxValueSummary } from './inspect.js';
export { checkQuantizeMode, QUANTIZE_MODES, type QuantizeMode, type QuantizeOptions, quantizeOnnx, toFloat16Bits } from './quantize.js';
export { DEFAULT_OPSET, decodeOnnx, irVersionForOpset, MAX_OPSET, MIN_OPSET } from './proto.js';
export {
  type ConverterContext,
  getConverter,
  type LayerConverter,
  registerConverter,
  registerConverters,
  supportedLayerClasses,
  type TfShape,
  type WeightLike,
} from './registry.js';
