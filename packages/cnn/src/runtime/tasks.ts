/**
 * The cnn family's `pipeline()` task: 'classify' images with {@link OnnxImageClassifier}, which
 * turns pixels into the model's input by the preprocessing in its metadata.
 */
import type { TaskHandler } from '@neurozoo/core/runtime';
import { OnnxImageClassifier } from './classifier.js';
import { type ImageInput, ImageInputError } from './pixels.js';


const isImage = (x: unknown): x is ImageInput => typeof x === 'object' && x !== null && 'data' in x && 'width' in x && 'height' in x;

/** 'classify' for models exported by `exportCnnOnnx` (they carry `neurozoo.preprocessing`). */
export const imageClassifierHandler: TaskHandler<'classify'> = {
  task: 'classify',
  family: 'cnn',
  name: 'OnnxImageClassifier',
  accepts: (model) => model.metadata['neurozoo.preprocessing'] !== undefined,
  async open(model, options) {
    const classifier = await OnnxImageClassifier.load(model.bytes, options);
    return {
      session: classifier.session,
      release: () => classifier.release(),
      run(input, callOptions) {
        const images = Array.isArray(input) ? input : [input];
        if (!images.every(isImage)) {
          throw new ImageInputError('A cnn model classifies images ({ data, width, height }, e.g. ImageData); got a Float32Array or another value.');
        }
        return classifier.classify(images, callOptions);
      },
    };
  },
};
