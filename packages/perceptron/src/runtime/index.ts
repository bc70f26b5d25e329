/**
 * `@neurozoo/perceptron/runtime`: classify with an exported perceptron or MLP using
 * onnxruntime only (no tfjs), in Node (onnxruntime-node) or a browser (onnxruntime-web).
 *
 * @example
 * ```ts
 * import { OnnxClassifier } from '@neurozoo/perceptron/runtime';
 * const clf = await OnnxClassifier.load('out/mlp/model.onnx');
 * const { classes, probabilities } = await clf.classify(pixels, 1); // pixels: Float32Array(784)
 * ```
 */
import { argmax, type CreateSessionOptions, createSession, type ZooSession } from '@neurozoo/core/runtime';

/** Result of {@link OnnxClassifier.classify}. */
export interface Classification {
  /** Predicted class id of each sample. */
  classes: Int32Array;
  /** The model's outputs [n, classes]: probabilities for an MLP, scores for a perceptron. */
  probabilities: Float32Array;
  /** Execution provider that ran the model. */
  provider: string;
}

/** A classifier exported by @neurozoo/perceptron (MLP or perceptron), run by onnxruntime. */
export class OnnxClassifier {
  private constructor(readonly session: ZooSession) {}

  /** Opens the model (bytes, path, or URL in browsers) on the first device that works. */
  static async load(model: Uint8Array | ArrayBuffer | string | URL, options?: CreateSessionOptions): Promise<OnnxClassifier> {
    return new OnnxClassifier(await createSession(model, options));
  }

  /** Number of input features the model expects. */
  get inputSize(): number {
    const dims = this.session.inputs[0].dims;
    return typeof dims?.[1] === 'number' ? dims[1] : Number.NaN;
  }

  /** Classifies `samples` rows of row-major float features (inputs are checked before onnxruntime runs). */
  async classify(features: Float32Array, samples = 1): Promise<Classification> {
    const dims = [samples, features.length / samples];
    const outputs = await this.session.run({ data: features, dims });
    const out = outputs[this.session.outputs[0].name];
    return {
      classes: Int32Array.from(argmax(out.data as Float32Array, out.dims)),
      probabilities: out.data as Float32Array,
      provider: this.session.provider,
    };
  }

  /** Frees the onnxruntime session. */
  release(): Promise<void> {
    return this.session.release();
  }
}
