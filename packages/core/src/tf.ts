/**
 * The one TensorFlow.js instance every neurozoo package uses. Families import `tf` from
 * `@neurozoo/core` instead of depending on tfjs themselves, so kernels, backends and
 * layer classes are registered once.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
