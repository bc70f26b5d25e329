/**
 * The input gradient of a (depthwise) conv as a forward conv: dy dilated by the stride,
 * padded by (effective filter size - 1 - forward pad), convolved with the spatially
 * flipped filter. XNNPACK's forward convs are far faster than wasm's own
 * Conv2DBackpropInput (facts.md: 187 ms vs 22 ms for the forward pass of one CNN layer).
 */
import { tf } from '../../tf.js';
import { cropNegative, dilateSpatial, type Pads } from './util.js';

/**
 * dx for dy [N, Ho, Wo, Co] and filter [fh, fw, Ci, Co] (or [fh, fw, C, m] when
 * depthwise), given the forward conv's info. Call inside a tidy.
 */
export function convInputGrad(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
  depthwise: boolean,
): tf.Tensor4D {
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, padInfo } = info;
  const { effectiveFilterHeight: efh, effectiveFilterWidth: efw } = info;
  const { batchSize: n, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = info;
  const top = efh - 1 - padInfo.top;
  const left = efw - 1 - padInfo.left;
  // dilateSpatial leaves s-1 trailing zeros (length o*s), hence the `o * s` below.
  const pads: Pads = [top, h + efh - 1 - top - oh * sh, left, w + efw - 1 - left - ow * sw];
  const c = cropNegative(dilateSpatial(dy, sh, sw), pads);
  const flipped = tf.reverse(filter, [0, 1]);
  if (!depthwise) {
    return tf.conv2d(c.x, tf.transpose(flipped, [0, 1, 3, 2]), 1, c.pad, 'NHWC', [dh, dw]);
  }
  // Each dy channel c*m+k goes back to input channel c: a depthwise conv with multiplier
  // 1 over all C*m channels, then a sum over k.
  const [fh, fw, ch, mult] = filter.shape;
  const perChannel = tf.depthwiseConv2d(c.x, tf.reshape(flipped, [fh, fw, ch * mult, 1]), 1, c.pad, 'NHWC', [dh, dw]);
  return mult === 1 ? perChannel : tf.sum(tf.reshape(perChannel, [n, h, w, ch, mult]), 4);
}
