/**
 * MaxPool and MaxPoolGrad (NHWC) as direct loops. The cpu backend's MaxPoolGrad builds a
 * position buffer through generic index arithmetic: 6.1 s of a 5.5 s-per-step CNN
 * profile (two 2x2 pools, batch 64, on a loaded 2-core machine). The gradient goes to
 * the first maximum of each window, as in the cpu kernel.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { type CpuBackend, f32, type Tf } from './util.js';

type PoolInfo = tfjs.backend_util.Conv2DInfo;

/** Calls visit(outIndex, inIndexOfMax) for every output of every channel. */
function argmaxWindows(c: PoolInfo, x: Float32Array, visit: (o: number, i: number, v: number) => void): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = c;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw, dilationHeight: dh, dilationWidth: dw } = c;
  const { top, left } = c.padInfo;
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++) {
        best.fill(-Infinity);
        where.fill(-1);
        for (let ky = 0; ky < fh; ky++) {
          const iy = oy * sh - top + ky * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kx = 0; kx < fw; kx++) {
            const ix = ox * sw - left + kx * dw;
            if (ix < 0 || ix >= W) continue;
            const base = ((n * H + iy) * W + ix) * C;
            for (let ch = 0; ch < C; ch++) {
              const v = x[base + ch];
              if (v > best[ch] || where[ch] < 0) {
                best[ch] = v;
                where[ch] = base + ch;
              }
            }
          }
        }
        const o = ((n * OH + oy) * OW + ox) * C;
        for (let ch = 0; ch < C; ch++) visit(o + ch, where[ch], best[ch]);
      }
}

function poolInfo(tf: Tf, shape: number[], a: tfjs.MaxPoolAttrs): PoolInfo {
  return tf.backend_util.computePool2DInfo(shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
}

/** MaxPool and MaxPoolGrad configs; other dtypes go to the original kernels. */
export function poolConfigs(tf: Tf, originals: Record<string, tfjs.KernelConfig>, backendName: string): tfjs.KernelConfig[] {
  const maxPool: tfjs.KernelConfig = {
    kernelName: tf.MaxPool,
    backendName,
    kernelFunc: (args) => {
      const backend = args.backend as unknown as CpuBackend;
      const { x } = args.inputs as { x: tfjs.TensorInfo };
      const xv = f32(backend, x);
      if (xv == null || x.shape.length !== 4) return originals[tf.MaxPool].kernelFunc(args) as tfjs.TensorInfo;
      const c = poolInfo(tf, x.shape, args.attrs as unknown as tfjs.MaxPoolAttrs);
      const y = new Float32Array(c.batchSize * c.outHeight * c.outWidth * c.inChannels);
      argmaxWindows(c, xv, (o, i, v) => { y[o] = i < 0 ? 0 : v; });
      return backend.makeTensorInfo([c.batchSize, c.outHeight, c.outWidth, c.inChannels], 'float32', y);
    },
  };
  const maxPoolGrad: tfjs.KernelConfig = {
    kernelName: tf.MaxPoolGrad,
    backendName,
    kernelFunc: (args) => {
      const backend = args.backend as unknown as CpuBackend;
      const { dy, input } = args.inputs as { dy: tfjs.TensorInfo; input: tfjs.TensorInfo };
      const dyv = f32(backend, dy);
      const xv = f32(backend, input);
      if (dyv == null || xv == null || input.shape.length !== 4) return originals[tf.MaxPoolGrad].kernelFunc(args) as tfjs.TensorInfo;
      const c = poolInfo(tf, input.shape, args.attrs as unknown as tfjs.MaxPoolAttrs);
      const dx = new Float32Array(xv.length);
      argmaxWindows(c, xv, (o, i) => {
        if (i >= 0) dx[i] += dyv[o];
      });
      return backend.makeTensorInfo([...input.shape], 'float32', dx);
    },
  };
  return [maxPool, maxPoolGrad];
}
