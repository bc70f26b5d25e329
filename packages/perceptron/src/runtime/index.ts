/**
 * `@neurozoo/perceptron/runtime`: classify with an exported perceptron or MLP using
 * onnxruntime only (no tfjs), in Node (onnxruntime-node) or a browser (onnxruntime-web).
 * The classifier is core's generic {@link OnnxClassifier}: an MLP's outputs are probabilities,
 * a perceptron's are scores.
 *
 * @example
 * ```ts
 * import { pipeline } from '@neurozoo/perceptron/runtime';
 * const classify = await pipeline('classify', 'out/mlp/model.onnx', { device: ['cuda', 'cpu'] });
 * const [best] = await classify(pixels); // pixels: Float32Array(784), or several rows
 * console.log(best.label, best.probability, classify.device, classify.fallbacks);
 * ```
 * `OnnxClassifier.load(model).classify(rows, n)` is the class underneath.
 */
import { createSession, registerTask, rowClassifierHandler } from '@neurozoo/core/runtime';

export { type Classification, OnnxClassifier, type Pipeline, type PipelineOptions, pipeline } from '@neurozoo/core/runtime';

registerTask(rowClassifierHandler('perceptron', createSession));
