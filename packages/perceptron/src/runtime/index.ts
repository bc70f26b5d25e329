/**
 * `@neurozoo/perceptron/runtime`: classify with an exported perceptron or MLP using
 * onnxruntime only (no tfjs), in Node (onnxruntime-node) or a browser (onnxruntime-web).
 * The classifier is core's generic {@link OnnxClassifier}: an MLP's outputs are probabilities,
 * a perceptron's are scores.
 *
 * @example
 * ```ts
 * import { OnnxClassifier } from '@neurozoo/perceptron/runtime';
 * const clf = await OnnxClassifier.load('out/mlp/model.onnx');
 * const { classes, probabilities } = await clf.classify(pixels, 1); // pixels: Float32Array(784)
 * ```
 */
export { type Classification, OnnxClassifier } from '@neurozoo/core/runtime';
