/**
 * Replaces wasm's Conv2DBackpropInput (correct but slow: a naive loop) with a forward
 * XNNPACK Conv2D, see transposedConv.ts. Same attrs as the cpu kernel; NHWC or NCHW.
 */
import { tf } from '../../tf.js';
import { convInputGrad } from './transposedConv.js';
import { asTensor } from './util.js';

function conv2DBackpropInput({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { inputShape, strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  return tf.tidy(() => {
    let dy = asTensor<tf.Tensor4D>(inputs.dy, backend);
    const filter = asTensor<tf.Tensor4D>(inputs.filter, backend);
    const nchw = dataFormat === 'NCHW';
    const [b, d1, d2, d3] = inputShape;
    if (nchw) dy = tf.transpose(dy, [0, 2, 3, 1]);
    const shape: [number, number, number, number] = nchw ? [b, d2, d3, d1] : [b, d1, d2, d3];
    const info = tf.backend_util.computeConv2DInfo(
      shape, filter.shape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
    );
    const dx = convInputGrad(dy, filter, info, false);
    return nchw ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
  });
}

/** Kernel registration that overrides wasm's Conv2DBackpropInput. */
export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
};
