/**
 * DepthwiseConv2dNativeBackpropFilter for wasm (missing in tfjs-backend-wasm 4.22). Same
 * attrs as the cpu kernel; NHWC (the only layout). Dilations are honoured (cpu's kernel
 * uses them only for sizes and padding, then loops as if they were 1; tfjs's gradients
 * never pass d > 1, so only direct kernel calls can tell).
 */
import { tf } from '../../tf.js';
import { asTensor, cropNegative, depthwiseInfo, type Pads } from './util.js';

/**
 * dW[i,j,c,k] = sum over n,y,x of xpad[n, i*dh + y*sh, j*dw + x*sw, c] * dy[n,y,x,c*m+k].
 * With batch folded into channels ((c, n) pairs as C*N channels) that is one depthwise
 * conv of the input with dy as a huge filter dilated by the stride, then a sum over n.
 * Measured 2x faster than one multiply + reduction per filter tap.
 */
function depthwiseBackpropFilter({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const filterShape = a.filterShape;
  return tf.tidy(() => {
    const x = asTensor<tf.Tensor4D>(inputs.x, backend);
    const dy = asTensor<tf.Tensor4D>(inputs.dy, backend);
    const info = depthwiseInfo(a, x.shape, filterShape);
    const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padInfo } = info;
    const { effectiveFilterHeight: efh, effectiveFilterWidth: efw } = info;
    const { batchSize: n, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = info;
    const [, , ch, mult] = filterShape;
    // [1, H, W, C*N]: channel c*N + n holds x[n, :, :, c].
    const xT = tf.reshape(tf.transpose(x, [1, 2, 3, 0]), [1, h, w, ch * n]) as tf.Tensor4D;
    // [Ho, Wo, C*N, m]: the filter for channel c*N + n is dy[n, :, :, c*m .. c*m+m-1].
    const dyT = tf.reshape(tf.transpose(tf.reshape(dy, [n, oh, ow, ch, mult]), [1, 2, 3, 0, 4]), [oh, ow, ch * n, mult]) as tf.Tensor4D;
    // Pad (or crop) so the conv's output covers exactly the effective filter.
    const spanH = efh + (oh - 1) * sh;
    const spanW = efw + (ow - 1) * sw;
    const pads: Pads = [padInfo.top, spanH - h - padInfo.top, padInfo.left, spanW - w - padInfo.left];
    const c = cropNegative(xT, pads);
    const out = tf.depthwiseConv2d(c.x, dyT, 1, c.pad, 'NHWC', [sh, sw]); // [1, efh, efw, C*N*m]
    const summed = tf.sum(tf.reshape(out, [efh, efw, ch, n, mult]), 3); // [efh, efw, C, m]
    if (dh === 1 && dw === 1) return summed;
    return tf.stridedSlice(summed, [0, 0, 0, 0], [efh, efw, ch, mult], [dh, dw, 1, 1]);
  });
}

/** Kernel registration for DepthwiseConv2dNativeBackpropFilter on wasm. */
export const depthwiseConv2dNativeBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as tf.KernelFunc,
};
