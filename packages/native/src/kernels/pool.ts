/**
 * MaxPool and MaxPoolGrad (NHWC) as direct loops in C++ (csrc/reduce.cc, images over threads). The cpu backend's MaxPoolGrad builds a
 * position buffer through generic index arithmetic: 6.1 s of a 5.5 s-per-step CNN
 * profile (two 2x2 pools, batch 64, on a loaded 2-core machine). The gradient goes to
 * the first maximum of each window, as in the cpu kernel.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { f32, fastPath, sizeOf, type Tf } from './util.js';

type PoolInfo = tfjs.backend_util.Conv2DInfo;

/** The addon's pooling dims [N,H,W,C,OH,OW,sh,sw,fh,fw,dh,dw,top,left]. */
function poolDims(c: PoolInfo): Int32Array {
  return Int32Array.of(c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.outHeight, c.outWidth, c.strideHeight, c.strideWidth, c.filterHeight, c.filterWidth, c.dilationHeight, c.dilationWidth, c.padInfo.top, c.padInfo.left);
}

/** Calls visit(outOffset, inOffsets) per output position: the in-bounds pixels of its window (channel 0 of each). */
function eachWindow(c: PoolInfo, visit: (o: number, rows: number[]) => void): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, strideHeight: sh, strideWidth: sw } = c;
  const rows: number[] = [];
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++) {
        rows.length = 0;
        const y0 = oy * sh - c.padInfo.top;
        const x0 = ox * sw - c.padInfo.left;
        for (let iy = Math.max(0, y0); iy < Math.min(H, y0 + c.effectiveFilterHeight); iy += c.dilationHeight)
          for (let ix = Math.max(0, x0); ix < Math.min(W, x0 + c.effectiveFilterWidth); ix += c.dilationWidth) rows.push(((n * H + iy) * W + ix) * C);
        visit(((n * OH + oy) * OW + ox) * C, rows);
      }
}

function poolInfo(tf: Tf, shape: number[], a: tfjs.MaxPoolAttrs): PoolInfo {
  return tf.backend_util.computePool2DInfo(shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
}

/** MaxPool and MaxPoolGrad configs; other dtypes go to the original kernels. */
export function poolConfigs(tf: Tf, addon: NativeAddon, originals: Record<string, tfjs.KernelConfig>, backendName: string): tfjs.KernelConfig[] {
  /** A forward pool over a float32 NHWC x: `fill` writes y [N, OH, OW, C]; other inputs go to the original kernel. */
  const forward = (kernelName: string, fill: (xv: Float32Array, y: Float32Array, c: PoolInfo) => void) =>
    fastPath(kernelName, backendName, originals, (args, backend) => {
      const { x } = args.inputs as { x: tfjs.TensorInfo };
      const xv = f32(backend, x);
      if (xv == null || x.shape.length !== 4) return null;
      const c = poolInfo(tf, x.shape, args.attrs as unknown as tfjs.MaxPoolAttrs);
      const y = new Float32Array(c.batchSize * c.outHeight * c.outWidth * c.inChannels);
      fill(xv, y, c);
      return backend.makeTensorInfo([c.batchSize, c.outHeight, c.outWidth, c.inChannels], 'float32', y);
    });
  const maxPool = forward(tf.MaxPool, (xv, y, c) => addon.maxPool(xv, y, poolDims(c)));
  const maxPoolGrad = fastPath(tf.MaxPoolGrad, backendName, originals, (args, backend) => {
    const { dy, input } = args.inputs as { dy: tfjs.TensorInfo; input: tfjs.TensorInfo };
    const dyv = f32(backend, dy);
    const xv = f32(backend, input);
    if (dyv == null || xv == null || input.shape.length !== 4) return null;
    const c = poolInfo(tf, input.shape, args.attrs as unknown as tfjs.MaxPoolAttrs);
    const dx = new Float32Array(xv.length);
    addon.maxPoolGrad(xv, dyv, dx, poolDims(c));
    return backend.makeTensorInfo([...input.shape], 'float32', dx);
  });
  // Average pooling (the cnn family's 'avg' option), channels innermost so each window adds
  // rows of C values. Same semantics as the cpu kernels: the forward pass divides by the
  // in-bounds count, the gradient by the full window size (tfjs's choice).
  const avgPool = forward(tf.AvgPool, (xv, y, c) =>
    eachWindow(c, (o, rows) => {
      const C = c.inChannels;
      for (const i of rows) for (let ch = 0; ch < C; ch++) y[o + ch] += xv[i + ch];
      const inv = 1 / rows.length;
      for (let ch = 0; ch < C; ch++) y[o + ch] *= inv;
    }),
  );
  const avgPoolGrad = fastPath(tf.AvgPoolGrad, backendName, originals, (args, backend) => {
    const { dy, input } = args.inputs as { dy: tfjs.TensorInfo; input: tfjs.TensorInfo };
    const dyv = f32(backend, dy);
    if (dyv == null || input.shape.length !== 4) return null;
    const c = poolInfo(tf, input.shape, args.attrs as unknown as tfjs.MaxPoolAttrs);
    const dx = new Float32Array(sizeOf(input.shape));
    const scale = 1 / (c.filterHeight * c.filterWidth);
    eachWindow(c, (o, rows) => {
      const C = c.inChannels;
      for (const i of rows) for (let ch = 0; ch < C; ch++) dx[i + ch] += dyv[o + ch] * scale;
    });
    return backend.makeTensorInfo([...input.shape], 'float32', dx);
  });
  return [maxPool, maxPoolGrad, avgPool, avgPoolGrad];
}
