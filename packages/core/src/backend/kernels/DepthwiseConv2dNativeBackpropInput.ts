/**
 * DepthwiseConv2dNativeBackpropInput for wasm (missing in tfjs-backend-wasm 4.22). Same
 * attrs and semantics as the cpu kernel, dilations included; NHWC (the only layout).
 */
import { tf } from '../../tf.js';
import { convInputGrad } from './transposedConv.js';
import { asTensor, pair } from './util.js';

function depthwiseBackpropInput({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  return tf.tidy(() => {
    const dy = asTensor<tf.Tensor4D>(inputs.dy, backend);
    const filter = asTensor<tf.Tensor4D>(inputs.filter, backend);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape, strides, pair(dilations), pad, dimRoundingMode, true,
    );
    return convInputGrad(dy, filter, info, true);
  });
}

/** Kernel registration for DepthwiseConv2dNativeBackpropInput on wasm. */
export const depthwiseConv2dNativeBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as tf.KernelFunc,
};
