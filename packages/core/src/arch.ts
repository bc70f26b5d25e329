import type { FitResult } from './train/fit.js';
import type { tf } from './tf.js';

/**
 * The contract between a family and the `neurozoo train` command: each family describes
 * its architectures with this type, and the CLI loads the data set, calls `train`, then
 * exports, verifies and reports. Core knows no family; families register by export.
 */

/** A labelled split as @neurozoo/datasets returns it (structurally typed: core does not depend on datasets). */
export interface TrainingData {
  name: string;
  /** Samples, row-major, shape `xShape` = [n, ...]. */
  x: Float32Array;
  xShape: number[];
  /** Integer class ids. */
  y: Int32Array;
  numClasses: number;
  classNames?: string[];
}

/** What the CLI passes to {@link ArchitectureSpec.train}. */
export interface TrainRequest {
  train: TrainingData;
  test: TrainingData;
  epochs: number;
  batchSize: number;
  seed: number;
  verbose: boolean | 'auto';
  checkpointDir?: string;
  resume?: boolean;
}

/** What an architecture hands back after training. */
export interface TrainedArchitecture {
  model: tf.LayersModel;
  /** Metrics on the test split, e.g. `{ accuracy: 0.981, loss: 0.06 }`. */
  testMetrics: Record<string, number>;
  fit?: FitResult;
  /** Inputs to compare tfjs and onnxruntime on (a slice of the test split). */
  sampleInputs: tf.Tensor;
  /** Stored in the ONNX metadata_props, e.g. preprocessing and class names. */
  metadata: Record<string, string>;
}

/** What `neurozoo inspect <dir>` passes to {@link ArchitectureSpec.inspect}. */
export interface InspectRequest {
  /** The trained model, loaded from `<dir>/tfjs`. */
  model: tf.LayersModel;
  /** The test split of the data set it was trained on (for feature maps, reconstructions, ...). */
  test: TrainingData;
  /** Folder to write pictures into (`<dir>/inspect`). */
  outDir: string;
}

/** One trainable architecture of a family, e.g. `mlp` of @neurozoo/perceptron. */
export interface ArchitectureSpec {
  name: string;
  description: string;
  /** Data sets it can train on; the first is the default. */
  datasets: string[];
  defaults: { epochs: number; batchSize: number };
  train(request: TrainRequest): Promise<TrainedArchitecture>;
  /** Writes pictures of a trained model (kernels, feature maps, reconstructions, attention) and returns their paths. */
  inspect?(request: InspectRequest): Promise<string[]>;
}
