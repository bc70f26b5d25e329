/**
 * The slice of the onnxruntime API that the runtime uses, typed structurally so the shared
 * code runs on onnxruntime-node and onnxruntime-web alike (each entry injects its module).
 */
import type { DType } from './types.js';

/** A tensor as onnxruntime returns it. */
export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly type: string;
}

/** onnxruntime 1.30's `InferenceSession.ValueMetadata`. */
export interface OrtValueMetadata {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: ReadonlyArray<number | string>;
}

/** The parts of `InferenceSession` the runtime calls. */
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly OrtValueMetadata[];
  readonly outputMetadata?: readonly OrtValueMetadata[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

/** The module-level API: `Tensor` and `InferenceSession.create`. */
export interface OrtModule {
  Tensor: new (type: DType, data: unknown, dims: readonly number[]) => OrtTensor;
  InferenceSession: {
    create(model: string | Uint8Array, options?: Record<string, unknown>): Promise<OrtSession>;
  };
}
