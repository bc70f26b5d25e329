/**
 * The one TensorFlow.js instance every neurozoo package uses. Families import `tf` from
 * `@neurozoo/core` instead of depending on tfjs themselves, so kernels, backends and
 * layer classes are registered once.
 */
import * as tf from '@tensorflow/tfjs';

// The cpu backend prints a banner recommending tfjs-node the first time it stores a tensor
// in Node. tfjs-node cannot be installed offline, and neurozoo chooses its backends itself
// (see initBackend), so the advice only adds noise to every CLI run and test log.
const cpuBackend = tf.findBackend('cpu') as { firstUse?: boolean } | null;
if (cpuBackend) cpuBackend.firstUse = false;

export { tf };
