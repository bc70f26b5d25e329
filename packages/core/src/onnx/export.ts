/**
 * exportOnnx(): tfjs LayersModel -> ONNX ModelProto bytes. The layer graph is walked from
 * the model's outputs back to its inputs through the layers' inbound nodes (depth first, so
 * every layer call is converted after the calls that feed it), and each call is handed to
 * the converter registered for its class. Nested models (Sequential or functional, used as a
 * layer) are inlined; a layer called at several nodes is converted once per call and shares
 * its initializers.
 */

import { OptionError, ShapeError, UnsupportedLayerError } from '../errors.js';
import { tf } from '../tf.js';
import { applyActivation } from './converters/activations.js';
import { type Attrs, type Dim, type NodeOptions, OnnxGraph, sanitizeName, type ValueDtype } from './graph.js';
import { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET } from './proto.js';
import { checkQuantizeMode, type QuantizeMode, quantizeOnnx } from './quantize.js';
import { type ConverterContext, getConverter, type LayerConverter, supportedLayerClasses, type TfShape, type WeightLike } from './registry.js';

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** Default-domain opset, 13..21 (default {@link DEFAULT_OPSET} = 17). */
  opset?: number;
  /** Written to the model's metadata_props (e.g. family, architecture, labels). */
  metadata?: Record<string, string>;
  /** Written to producer_version (default '0.1.0'). */
  producerVersion?: string;
  /**
   * Shrink the weights after export with {@link quantizeOnnx}: 'int8' (dynamic int8 MatMul and
   * Conv, ~4x smaller) or 'fp16' (float16 weights cast to float, ~2x smaller). Default: fp32.
   */
  quantize?: QuantizeMode;
}

type SymbolicTensor = tf.SymbolicTensor;
interface InboundNode {
  inputTensors: SymbolicTensor[];
  outputTensors: SymbolicTensor[];
}

/** Classes the exporter handles itself, listed in UnsupportedLayerError messages. */
const BUILT_IN = ['InputLayer', 'Sequential', 'Model', 'Functional'];

class Context implements ConverterContext {
  constructor(
    readonly graph: OnnxGraph,
    readonly inputs: readonly string[],
    readonly inputShapes: readonly TfShape[],
    readonly outputShapes: readonly TfShape[],
  ) {}
  get opset(): number {
    return this.graph.opset;
  }
  node(opType: string, inputs: readonly string[], attrs?: Attrs): string;
  node(opType: string, inputs: readonly string[], attrs: Attrs | undefined, options: NodeOptions & { outputs: number }): string[];
  node(opType: string, inputs: readonly string[], attrs?: Attrs, options?: NodeOptions): string | string[] {
    return options?.outputs === undefined ? this.graph.node(opType, inputs, attrs) : this.graph.node(opType, inputs, attrs, { ...options, outputs: options.outputs });
  }
  weight(value: WeightLike): string {
    return this.graph.initializer(value);
  }
  constantInt64(values: readonly number[], dims?: readonly number[]): string {
    return this.graph.constantInt64(values, dims);
  }
  constantFloat(values: readonly number[], dims?: readonly number[]): string {
    return this.graph.constantFloat(values, dims);
  }
  activation(identifier: string | null | undefined, x: string): string {
    return applyActivation(this.graph, identifier, x);
  }
  converterOf(className: string): LayerConverter | undefined {
    return getConverter(className);
  }
}

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

function valueDtype(dtype: string): ValueDtype {
  return dtype === 'int32' || dtype === 'bool' ? dtype : 'float32';
}

/** ONNX dims for a tfjs shape: symbolic 'batch' first, symbolic names for unknown sizes. */
function onnxDims(shape: TfShape, name: string): Dim[] {
  return shape.map((d, i) => (i === 0 ? 'batch' : (d ?? `${name}_dim${i}`)));
}

/** Converts one call (inbound node) of `layer`; returns the ONNX names of its outputs. */
function convertCall(graph: OnnxGraph, layer: tf.layers.Layer, node: InboundNode, inputs: string[]): string[] {
  const className = layer.getClassName();
  const converter = getConverter(className);
  if (!converter) {
    if (layer instanceof tf.LayersModel) {
      const inner = new Map<number, string>();
      layer.inputs.forEach((t, i) => inner.set(t.id, inputs[i]));
      return convertContainer(graph, layer, inner);
    }
    throw new UnsupportedLayerError(className, layer.name, [...supportedLayerClasses(), ...BUILT_IN]);
  }
  graph.scope = layer.name;
  const ctx = new Context(
    graph,
    inputs,
    node.inputTensors.map((t) => t.shape),
    node.outputTensors.map((t) => t.shape),
  );
  const outputs = asArray(converter(layer, ctx));
  if (outputs.length !== node.outputTensors.length) {
    throw new ShapeError(
      `The ${className} converter returned ${outputs.length} output(s) for layer '${layer.name}', which has ${node.outputTensors.length}.`,
    );
  }
  return outputs;
}

/**
 * Converts the part of `container`'s graph between its inputs (already named in `scope`, by
 * symbolic-tensor id) and its outputs; returns the ONNX names of its outputs.
 */
function convertContainer(graph: OnnxGraph, container: tf.LayersModel, scope: Map<number, string>): string[] {
  // Iterative depth-first walk: deep models do not hit the call-stack limit.
  for (const target of container.outputs) {
    const stack: SymbolicTensor[] = [target];
    while (stack.length > 0) {
      const t = stack[stack.length - 1];
      if (scope.has(t.id)) {
        stack.pop();
        continue;
      }
      const layer = t.sourceLayer as tf.layers.Layer;
      const node = (layer as unknown as { inboundNodes: InboundNode[] }).inboundNodes[t.nodeIndex];
      if (!node || layer.getClassName() === 'InputLayer') {
        throw new ShapeError(`Tensor '${t.name}' of model '${container.name}' depends on an input that is not among the model's inputs.`);
      }
      const pending = node.inputTensors.filter((i) => !scope.has(i.id));
      if (pending.length > 0) {
        stack.push(...pending.reverse());
        continue;
      }
      const outs = convertCall(graph, layer, node, node.inputTensors.map((i) => scope.get(i.id) as string));
      node.outputTensors.forEach((o, i) => scope.set(o.id, outs[i]));
      stack.pop();
    }
  }
  return container.outputs.map((t) => scope.get(t.id) as string);
}

/**
 * Exports a tfjs LayersModel (Sequential or functional) to ONNX ModelProto bytes.
 *
 * Graph inputs follow `model.inputs` (named after their input layers, with a symbolic 'batch'
 * first dimension and the input's tfjs dtype); graph outputs follow `model.outputs` (named
 * after their output layers). Inference behaviour is exported: Dropout and noise layers vanish,
 * BatchNormalization uses its moving statistics.
 *
 * @throws OptionError (as a rejection) for an opset outside 13..21 or an unknown `quantize` mode.
 * @throws NotQuantizableError (as a rejection) when `quantize` finds nothing to quantize; the
 * message names the model's layers and the ops they became.
 * @throws UnsupportedLayerError (as a rejection) for a layer class without a registered
 * converter; a family registers its layers with `registerConverter`.
 */
export async function exportOnnx(model: tf.LayersModel, options: ExportOnnxOptions = {}): Promise<Uint8Array> {
  const opset = options.opset ?? DEFAULT_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new OptionError(`opset must be an integer from ${MIN_OPSET} to ${MAX_OPSET}, got ${opset}.`);
  }
  if (options.quantize !== undefined) checkQuantizeMode(options.quantize);
  const graph = new OnnxGraph(opset, sanitizeName(model.name));
  const scope = new Map<number, string>();
  for (const t of model.inputs) {
    const name = graph.input(t.sourceLayer.name, onnxDims(t.shape, sanitizeName(t.sourceLayer.name)), valueDtype(t.dtype));
    scope.set(t.id, name);
  }
  const values = convertContainer(graph, model, scope);

  const declared = new Set<string>();
  const inputNames = new Set(graph.inputs.map((i) => i.name as string));
  const renames = new Map<string, string>();
  model.outputs.forEach((t, i) => {
    const wanted = t.sourceLayer.name;
    const value = renames.get(values[i]) ?? values[i];
    // Rename the producing node's output after the output layer. A value that is a graph
    // input, an initializer or already an output needs an Identity node (rare: e.g. a model
    // that only applies Dropout).
    let named = declared.has(value) || inputNames.has(value) ? null : graph.renameValue(value, wanted);
    if (named === null) named = graph.renameValue(graph.node('Identity', [value], undefined, { name: wanted }), wanted) as string;
    else renames.set(values[i], named);
    declared.add(named);
    graph.output(named, onnxDims(t.shape, sanitizeName(named)), valueDtype(t.dtype));
  });
  graph.prune();
  const bytes = graph.toBytes({ producerVersion: options.producerVersion, metadata: options.metadata });
  return options.quantize === undefined ? bytes : quantizeOnnx(bytes, { mode: options.quantize });
}
