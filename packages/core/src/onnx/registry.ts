/**
 * The converter registry: one function per tfjs layer class turns a layer call into ONNX
 * nodes. Core's converters (every stock tfjs layer neurozoo exports: Dense, Conv2D, pooling,
 * LSTM/GRU/SimpleRNN, Bidirectional, TimeDistributed, ...) come from ./converters; a family collects the converters of its custom layers in one
 * record and registers it once, from its index module, so `exportOnnx` handles them without
 * core knowing them:
 *
 * ```ts
 * export const SCALE_CONVERTERS: Record<string, LayerConverter> = {
 *   Scale: (layer, ctx) => ctx.node('Mul', [ctx.inputs[0], ctx.weight((layer as Scale).scale)]),
 * };
 * registerConverters(SCALE_CONVERTERS);
 * ```
 */
import type { tf } from '../tf.js';
import { CORE_CONVERTERS } from './converters/index.js';
import type { Attrs, NodeOptions, OnnxGraph } from './graph.js';

/** A tfjs shape with `null` for unknown sizes (the batch dimension first). */
export type TfShape = ReadonlyArray<number | null>;

/** Anything `ctx.weight()` accepts: a tensor, or a tfjs-layers variable (`LayerVariable`). */
export type WeightLike = tf.Tensor | { read(): tf.Tensor; readonly id: number; readonly name: string };

/** What a converter gets to know about the layer call it converts, and the tools to emit ONNX. */
export interface ConverterContext {
  /** ONNX value names of this call's inputs, in the order the layer received them. */
  readonly inputs: readonly string[];
  /** tfjs shapes of those inputs (batch dimension first, `null` when unknown). */
  readonly inputShapes: readonly TfShape[];
  /** tfjs shapes of the layer's outputs for this call. */
  readonly outputShapes: readonly TfShape[];
  /** The graph being built; use it for anything the helpers below do not cover. */
  readonly graph: OnnxGraph;
  /** Default-domain opset of the graph (13..21). */
  readonly opset: number;
  /**
   * Adds a node named after the layer and returns its output name (or names, when
   * `options.outputs` is given). Plain-number attributes are INT; floats are `{ float: x }`.
   */
  node(opType: string, inputs: readonly string[], attrs?: Attrs): string;
  node(opType: string, inputs: readonly string[], attrs: Attrs | undefined, options: NodeOptions & { outputs: number }): string[];
  /** Initializer for a tfjs weight; the same variable always maps to the same initializer. */
  weight(value: WeightLike): string;
  /** An int64 constant (shapes for Reshape, axes for Unsqueeze, ...). */
  constantInt64(values: readonly number[], dims?: readonly number[]): string;
  /** A float32 constant; a single value is a scalar. */
  constantFloat(values: readonly number[], dims?: readonly number[]): string;
  /**
   * Applies a tfjs activation by its identifier ('relu', 'gelu_new', ...; `null`/'linear' is a
   * no-op) to `x` and returns the output name.
   */
  activation(identifier: string | null | undefined, x: string): string;
  /**
   * The converter registered for a layer class, for wrappers (TimeDistributed, Bidirectional)
   * that convert the layer they wrap; undefined when none is.
   */
  converterOf(className: string): LayerConverter | undefined;
}

/**
 * Converts one call of a layer. Returns the ONNX value names of the layer's outputs for this
 * call, in tfjs output order (a single name for a single-output layer). Returning an input
 * name unchanged is allowed (Dropout and other inference no-ops emit no node).
 */
export type LayerConverter = (layer: tf.layers.Layer, ctx: ConverterContext) => string | string[];

// Kept on globalThis: the `.` and `./testing` entry points are bundled separately, and a
// family's registrations through one must be seen by exports run through the other.
const REGISTRY_KEY = Symbol.for('neurozoo.onnx.converters');
const globalRegistry = globalThis as { [REGISTRY_KEY]?: Map<string, LayerConverter> };
let coreAdded = false;

/** The shared table, with core's converters added once; they never replace a registered one. */
function table(): Map<string, LayerConverter> {
  const map = (globalRegistry[REGISTRY_KEY] ??= new Map<string, LayerConverter>());
  if (!coreAdded) {
    for (const [name, converter] of CORE_CONVERTERS) if (!map.has(name)) map.set(name, converter);
    coreAdded = true;
  }
  return map;
}

/**
 * Registers the converter for a tfjs layer class, by its `getClassName()` (e.g. 'Dense').
 * Registering a class again replaces the earlier converter, so a family can override core's.
 */
export function registerConverter(className: string, converter: LayerConverter): void {
  table().set(className, converter);
}

/**
 * Registers a family's converters, keyed by tfjs layer class, and returns those class names
 * sorted. Every family calls it once, from its index module at load. Idempotent: calling it
 * again with the same record changes nothing, and a family whose ESM and CJS builds both load
 * registers equivalent converters twice, the later replacing the earlier.
 */
export function registerConverters(converters: Readonly<Record<string, LayerConverter>>): string[] {
  for (const [className, converter] of Object.entries(converters)) registerConverter(className, converter);
  return Object.keys(converters).sort();
}

/** The converter registered for a layer class, or undefined. */
export function getConverter(className: string): LayerConverter | undefined {
  return table().get(className);
}

/** Layer classes that have a converter, sorted. */
export function supportedLayerClasses(): string[] {
  return [...table().keys()].sort();
}
