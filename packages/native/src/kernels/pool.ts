/**
 * MaxPool and MaxPoolGrad (NHWC) as direct loops in C++ (csrc/reduce.cc, images over threads). The cpu backend's MaxPoolGrad builds a
 * position buffer through generic index arithmetic: 6.1 s of a 5.5 s-per-step CNN
 * profile (two 2x2 pools, batch 64, on a loaded 2-core machine). The gradient goes to
 * the first maximum of each window, as in the cpu kernel.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { type CpuBackend, f32, type Tf } from './util.js';

type PoolInfo = tfjs.backend_util.Conv2DInfo;

/** The addon's pooling dims [N,H,W,C,OH,OW,sh,sw,fh,fw,dh,dw,top,left]. */
function poolDims(c: PoolInfo): Int32Array {
  return Int32Array.of(c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.outHeight, c.outWidth, c.strideHeight, c.strideWidth, c.filterHeight, c.filterWidth, c.dilationHeight, c.dilationWidth, c.padInfo.top, c.padInfo.left);
}

function poolInfo(tf: Tf, shape: number[], a: tfjs.MaxPoolAttrs): PoolInfo {
  return tf.backend_util.computePool2DInfo(shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
}

/** MaxPool and MaxPoolGrad configs; other dtypes go to the original kernels. */
export function poolConfigs(tf: Tf, addon: NativeAddon, originals: Record<string, tfjs.KernelConfig>, backendName: string): tfjs.KernelConfig[] {
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
      addon.maxPool(xv, y, poolDims(c));
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
      addon.maxPoolGrad(xv, dyv, dx, poolDims(c));
      return backend.makeTensorInfo([...input.shape], 'float32', dx);
    },
  };
  return [maxPool, maxPoolGrad];
}
