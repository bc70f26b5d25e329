/**
 * Public types of `@neurozoo/core/runtime`. They describe onnxruntime values structurally, so
 * the declarations pull in neither onnxruntime-node nor onnxruntime-web.
 */

/**
 * Where a model comes from: its bytes, a path (Node, or Node running onnxruntime-web), a
 * `file:` URL in Node, or an http(s)/blob/data URL in browsers.
 */
export type ModelSource = Uint8Array | ArrayBuffer | string | URL;

/** An execution device, in preference order when given as a list. */
export type Device = 'cuda' | 'webgpu' | 'wasm' | 'cpu';

/** Element types a model input or output can have (onnxruntime's tensor type names). */
export type DType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  | 'string'
  | (string & {});

/** Typed arrays a tensor's data can live in. */
export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/**
 * A tensor to feed: an onnxruntime `Tensor` (from either package) or a plain object.
 * A plain `number[]` is converted to the dtype the model input expects.
 */
export interface TensorLike {
  data: TensorData | readonly number[] | readonly string[];
  dims: readonly number[];
  /** Element type; inferred from the typed array when left out. */
  type?: DType;
}

/** A model output as plain data. */
export interface OutputTensor {
  data: TensorData | string[];
  dims: number[];
  type: DType;
}

/** Name, shape and element type of one model input or output. */
export interface ValueInfo {
  name: string;
  /** Static sizes as numbers, symbolic ones by name (`'batch'`), unnamed dynamic ones as `'?'`; `null` when unknown. */
  dims: Array<number | string> | null;
  /** Element type, or `'non-tensor'` for sequences and maps. */
  dtype: DType;
}

/** Why one device in the preference list was not used. */
export interface Fallback {
  device: Device;
  reason: string;
}

/** onnxruntime log levels, mapped to `logSeverityLevel` 0..4. */
export type LogLevel = 'verbose' | 'info' | 'warning' | 'error' | 'fatal';

/** Options of {@link createSession}. */
export interface CreateSessionOptions {
  /** Devices to try in order; the first that loads the model wins. Node default `['cuda', 'cpu', 'wasm']` (wasm on onnxruntime-web), web `['webgpu', 'wasm']`. */
  devices?: Device[];
  /** onnxruntime's log level for the session (default `'warning'`). */
  logLevel?: LogLevel;
  /** Extra onnxruntime `InferenceSession.SessionOptions`; `executionProviders` is set from `devices`. */
  sessionOptions?: Record<string, unknown>;
}

/** Feeds for {@link ZooSession.run}: tensors by input name, or one tensor when the model has one input. */
export type Feeds = Record<string, TensorLike> | TensorLike;

/** An onnxruntime session with checked inputs and plain outputs. */
export interface ZooSession {
  /** The device whose execution provider runs the model. */
  readonly provider: Device;
  /** Devices tried before `provider`, each with the reason it was not used. */
  readonly fallbacks: readonly Fallback[];
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  /** Checks the feeds against {@link inputs}, runs the model and returns every output by name. */
  run(feeds: Feeds): Promise<Record<string, OutputTensor>>;
  /** Frees the native session; later `run` calls throw. */
  release(): Promise<void>;
}
