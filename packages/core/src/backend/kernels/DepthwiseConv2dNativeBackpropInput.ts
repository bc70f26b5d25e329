/**
 * DepthwiseConv2dNativeBackpropInput for wasm (missing in tfjs-backend-wasm 4.22). Same
 * attrs and semantics as the cpu kernel, dilations included; NHWC (the only layout).
 */
import { tf } from '../../tf.js';
import { convInputGrad } from './transposedConv.js';
import { asTensor, depthwiseInfo } from './util.js';

function depthwiseBackpropInput({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  return tf.tidy(() => {
    const filter = asTensor<tf.Tensor4D>(inputs.filter, backend);
    return convInputGrad(asTensor<tf.Tensor4D>(inputs.dy, backend), filter, depthwiseInfo(a, a.inputShape, filter.shape), true);
  });
}

/** Kernel registration for DepthwiseConv2dNativeBackpropInput on wasm. */
export const depthwiseConv2dNativeBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as tf.KernelFunc,
};
