/**
 * Typed errors. Every error neurozoo throws on bad input is one of these, and its message
 * says what was expected and what came, so a user can fix the call without reading code.
 */

/** Base class of every neurozoo error; `code` is stable and safe to switch on. */
export class NeurozooError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A tensor or array had the wrong shape, rank or dtype. */
export class ShapeError extends NeurozooError {
  constructor(message: string) {
    super('E_SHAPE', message);
  }
}

/** Data that cannot be trained on: NaN/Inf, empty sets, labels out of range. */
export class DataError extends NeurozooError {
  constructor(message: string) {
    super('E_DATA', message);
  }
}

/** An option that does not exist or has a value outside its domain. */
export class OptionError extends NeurozooError {
  constructor(message: string) {
    super('E_OPTION', message);
  }
}

/**
 * A task `pipeline()` cannot run: a task no imported runtime registers, or a model no registered
 * handler of the task accepts. The message names the task, the model's family and architecture,
 * and the `@neurozoo/<family>/runtime` entry to import.
 */
export class TaskError extends OptionError {
  constructor(
    readonly task: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Rejects keys of `given` that `allowed` does not list, so a misspelt option never goes
 * unnoticed: throws `Unknown <where> option(s): a, b. Valid options: x, y`.
 * @example checkOptions(options, ['epochs', 'seed'], 'fit');
 */
export function checkOptions(given: object, allowed: Iterable<string>, where: string): void {
  const valid = [...allowed];
  const unknown = Object.keys(given).filter((key) => !valid.includes(key));
  if (unknown.length > 0) throw new OptionError(`Unknown ${where} option(s): ${unknown.join(', ')}. Valid options: ${valid.join(', ')}`);
}

/** A tfjs layer that no registered ONNX converter handles. */
export class UnsupportedLayerError extends NeurozooError {
  readonly layerClass: string;
  readonly layerName: string;
  constructor(layerClass: string, layerName: string, supported: readonly string[]) {
    super(
      'E_UNSUPPORTED_LAYER',
      `Cannot export layer '${layerName}' of class ${layerClass} to ONNX: no converter is registered for ${layerClass}. ` +
        `Supported classes: ${[...supported].sort().join(', ')}.`,
    );
    this.layerClass = layerClass;
    this.layerName = layerName;
  }
}

/** Bytes or a file that are not a valid ONNX model. */
export class OnnxFormatError extends NeurozooError {
  constructor(message: string) {
    super('E_ONNX_FORMAT', message);
  }
}

/** A backend or execution provider that cannot be used here. */
export class BackendError extends NeurozooError {
  constructor(message: string) {
    super('E_BACKEND', message);
  }
}

/** A checkpoint that is missing, corrupt, or belongs to another model. */
export class CheckpointError extends NeurozooError {
  constructor(message: string) {
    super('E_CHECKPOINT', message);
  }
}

/** A model that a quantization mode finds nothing to quantize in; the message names its layers and their ops. */
export class NotQuantizableError extends NeurozooError {
  readonly mode: string;
  /** Layer (node-name prefix) -> op types found in the graph. */
  readonly layers: ReadonlyMap<string, readonly string[]>;
  constructor(mode: string, model: string, why: string, layers: ReadonlyMap<string, readonly string[]>) {
    const found = [...layers].map(([layer, ops]) => `${layer} (${ops.join(', ')})`).join(', ');
    super('E_NOT_QUANTIZABLE', `Cannot quantize model '${model}' to ${mode}: ${why}. Layers found: ${found || 'none'}.`);
    this.mode = mode;
    this.layers = layers;
  }
}

/** Describes a value for error messages: `[2,3] float32`, `NaN`, `"abc"`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
