/**
 * Runtime models over one onnxruntime session: {@link OnnxModel} holds the session (provider,
 * release) for the families' runtime classes, and {@link ClassifierModel} classifies rows with
 * any single-input [batch, features] -> [batch, classes] model. The entries (Node, web) add
 * `OnnxClassifier.load`, which opens the model with their `createSession`.
 */
import { ShapeError } from '../errors.js';
import { argmax } from './tensors.js';
import type { Device, ZooSession } from './types.js';

/** A runtime model over one onnxruntime session. */
export class OnnxModel {
  constructor(readonly session: ZooSession) {}

  /** The device whose execution provider runs the model. */
  get provider(): Device {
    return this.session.provider;
  }

  /** Frees the onnxruntime session; later calls throw. */
  release(): Promise<void> {
    return this.session.release();
  }
}

/** Result of {@link ClassifierModel.classify}. */
export interface Classification {
  /** Predicted class id of each sample. */
  classes: Int32Array;
  /** The model's outputs [n, classes]: probabilities for a softmax model, scores otherwise. */
  probabilities: Float32Array;
  /** Execution provider that ran the model. */
  provider: Device;
}

/** Classification with a single-input [batch, features] -> [batch, classes] ONNX model (MLP, perceptron, DBN, ...). */
export class ClassifierModel extends OnnxModel {
  /** Number of input features the model expects (NaN when its input width is not static). */
  get inputSize(): number {
    const dims = this.session.inputs[0].dims;
    return typeof dims?.[1] === 'number' ? dims[1] : Number.NaN;
  }

  /**
   * Classifies `samples` rows of row-major float features; the class of a row is its largest
   * output. Throws ShapeError when the features do not split into `samples` rows (the session
   * checks the row width against the model).
   */
  async classify(features: Float32Array, samples = 1): Promise<Classification> {
    if (!(Number.isInteger(samples) && samples >= 1) || features.length % samples !== 0) {
      throw new ShapeError(`Expected ${samples} samples of equal width, got ${features.length} values`);
    }
    const outputs = await this.session.run({ data: features, dims: [samples, features.length / samples] });
    const out = outputs[this.session.outputs[0].name];
    return { classes: argmax(out.data as Float32Array, out.dims), probabilities: out.data as Float32Array, provider: this.session.provider };
  }
}
