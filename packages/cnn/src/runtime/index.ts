/**
 * `@neurozoo/cnn/runtime`: classify images with an exported CNN using onnxruntime only (no
 * tfjs), in Node (onnxruntime-node) or a browser (onnxruntime-web). The preprocessing the
 * model was trained with is read from its ONNX metadata_props.
 *
 * @example
 * ```ts
 * import { pipeline } from '@neurozoo/cnn/runtime';
 * const classify = await pipeline('classify', 'out/cnn-mnist/model.onnx', { device: ['webgpu', 'wasm'] });
 * const [top] = await classify({ data: grayPixels, width: 28, height: 28 }); // Uint8Array(784)
 * console.log(top.label, top.probability, classify.device, classify.fallbacks);
 * ```
 */
import { registerTask } from '@neurozoo/core/runtime';
import type { ImageInput } from './pixels.js';
import { imageClassifierHandler } from './tasks.js';

export { type Pipeline, type PipelineOptions, pipeline, readMetadataProps } from '@neurozoo/core/runtime';
export { type ImageClass, type LoadImageClassifierOptions, OnnxImageClassifier } from './classifier.js';
export { type ImageInput, ImageInputError, imagesToInput, type PixelOptions, type PreprocessingInfo } from './pixels.js';

/** The cnn family's additions to `pipeline('classify', ...)`: images in, and the pixel option. */
declare module '@neurozoo/core/runtime' {
  interface ClassifyInputs {
    /** One image or a batch, each of the model's width x height (see {@link ImageInput}). */
    images: ImageInput | ImageInput[];
  }
  interface ClassifyOptions {
    /** For cnn models: invert brightness first ('auto', the default: see `PixelOptions.invert`). */
    invert?: boolean | 'auto';
  }
}

registerTask(imageClassifierHandler);
