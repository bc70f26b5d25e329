/**
 * Conv2DBackpropFilter for wasm (tfjs-backend-wasm 4.22 has none, so conv training fails).
 * Same attrs and semantics as the cpu kernel: no dilations, NHWC or NCHW.
 */
import { tf } from '../../tf.js';
import { asTensor, cropNegative, type Pads } from './util.js';

/**
 * dW[i,j,ci,co] = sum over n,y,x of xpad[n, i + y*sh, j + x*sw, ci] * dy[n,y,x,co]. With
 * batch and channels swapped that is one forward conv whose "filter" is dy dilated by the
 * stride, so the whole gradient is a single XNNPACK Conv2D (facts.md: rel err < 4e-6).
 */
function conv2DBackpropFilter({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  return tf.tidy(() => {
    let x = asTensor<tf.Tensor4D>(inputs.x, backend);
    let dy = asTensor<tf.Tensor4D>(inputs.dy, backend);
    if (dataFormat === 'NCHW') {
      x = tf.transpose(x, [0, 2, 3, 1]);
      dy = tf.transpose(dy, [0, 2, 3, 1]);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
    );
    const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw, padInfo } = info;
    const { inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = info;
    const xT = tf.transpose(x, [3, 1, 2, 0]); // [Ci, H, W, N]: channels become the batch
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, Co]: dy becomes the filter
    // Pad (or crop) so the conv's output is exactly fh x fw.
    const pads: Pads = [
      padInfo.top, fh + (oh - 1) * sh - h - padInfo.top,
      padInfo.left, fw + (ow - 1) * sw - w - padInfo.left,
    ];
    const c = cropNegative(xT, pads);
    const dW = tf.conv2d(c.x, dyT, 1, c.pad, 'NHWC', [sh, sw]); // [Ci, fh, fw, Co]
    return tf.transpose(dW, [1, 2, 0, 3]);
  });
}

/** Kernel registration for Conv2DBackpropFilter on wasm. */
export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
