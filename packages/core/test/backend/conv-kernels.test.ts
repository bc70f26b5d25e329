/**
 * The wasm conv gradient kernels against the cpu backend's kernels, called directly with
 * the attrs the gradients pass, over a sweep of shapes, strides, paddings and dilations.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { tf } from '../../src/tf.js';
import { liveCounts, maxRelErr, onBoth, rand } from './helpers.js';

const TOL = 1e-4;
type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
const PADS: Pad[] = ['valid', 'same', 1, [[0, 0], [1, 2], [0, 1], [0, 0]]];
const KERNELS: [number, number][] = [[1, 1], [3, 3], [2, 4], [5, 3]];
const STRIDES = [1, 2, 3];

interface Case { n: number; h: number; w: number; ci: number; co: number; k: [number, number]; s: number; pad: Pad; d: number; round?: 'floor' | 'round' | 'ceil' }

/** Full product of kernel x stride x pad; batch, spatial size and channels cycle along. */
function sweep(depthwise: boolean): Case[] {
  const cases: Case[] = [];
  let i = 0;
  for (const k of KERNELS) for (const s of STRIDES) for (const pad of PADS) {
    const [h, w] = [[7, 7], [9, 6], [11, 10]][i % 3];
    const ci = [1, 3, 4][(i + 1) % 3];
    const co = depthwise ? [1, 2, 3][i % 3] : [2, 5, 1][i % 3];
    const d = depthwise && s === 1 ? [1, 2][i % 2] : 1;
    const round = typeof pad === 'number' ? (['floor', 'round', 'ceil'] as const)[i % 3] : undefined;
    cases.push({ n: [1, 2, 3][i % 3], h, w, ci, co, k, s, pad, d, round });
    i++;
  }
  return cases;
}

const label = (c: Case) => `n${c.n} ${c.h}x${c.w}x${c.ci} k${c.k} co/m${c.co} s${c.s} d${c.d} pad ${JSON.stringify(c.pad)} ${c.round ?? ''}`;

function outShape(c: Case, depthwise: boolean): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo(
    [c.n, c.h, c.w, c.ci], [c.k[0], c.k[1], c.ci, c.co], c.s, c.d, c.pad, c.round, depthwise,
  );
  return info.outShape;
}

type Run = (kernel: string, inputs: tf.NamedTensorMap, attrs: object) => tf.Tensor;
const runKernel: Run = (kernel, inputs, attrs) => tf.engine().runKernel(kernel, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;

/**
 * Runs one kernel on both backends and checks it for leaks on wasm. The cpu side runs
 * `reference` when given (the cpu kernel itself by default).
 */
async function check(kernel: string, inputs: () => tf.NamedTensorMap, attrs: object, reference: Run = runKernel): Promise<number> {
  const r = await onBoth((b) => (b === 'cpu' ? reference : runKernel)(kernel, inputs(), attrs));
  const ins = inputs();
  const before = liveCounts();
  tf.dispose(tf.engine().runKernel(kernel, ins, attrs as tf.NamedAttrMap) as tf.Tensor);
  expect(liveCounts()).toEqual(before);
  tf.dispose(Object.values(ins));
  return maxRelErr(r);
}

/** A d-dilated filter as an ordinary one: d - 1 zeros between taps. */
function dilateFilter(f: tf.Tensor4D, d: number): tf.Tensor4D {
  const [fh, fw, c, m] = f.shape;
  const z = tf.pad(tf.reshape(f, [fh, 1, fw, 1, c, m]), [[0, 0], [0, d - 1], [0, 0], [0, d - 1], [0, 0], [0, 0]]);
  return tf.slice(tf.reshape(z, [fh * d, fw * d, c, m]) as tf.Tensor4D, [0, 0, 0, 0], [(fh - 1) * d + 1, (fw - 1) * d + 1, c, m]);
}

/**
 * cpu's depthwise gradient kernels use `dilations` only for output size and padding and
 * then loop as if it were 1 (tfjs's gradients never pass d > 1). So for d > 1 the cpu
 * reference is the same conv written without dilation: a zero-dilated filter.
 */
const dilatedReference: Run = (kernel, inputs, attrs) => {
  const a = attrs as { dilations: number; filterShape: [number, number, number, number] };
  const d = a.dilations;
  if (d === 1) return runKernel(kernel, inputs, attrs);
  if (kernel === 'DepthwiseConv2dNativeBackpropInput') {
    return runKernel(kernel, { ...inputs, filter: dilateFilter(inputs.filter as tf.Tensor4D, d) }, { ...attrs, dilations: 1 });
  }
  const [fh, fw, c, m] = a.filterShape;
  const eff = [(fh - 1) * d + 1, (fw - 1) * d + 1, c, m];
  const full = runKernel(kernel, inputs, { ...attrs, dilations: 1, filterShape: eff });
  return tf.stridedSlice(full, [0, 0, 0, 0], eff, [d, d, 1, 1]);
};

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('Conv2DBackpropFilter / Conv2DBackpropInput on wasm', () => {
  for (const c of sweep(false)) {
    it(label(c), async () => {
      const dyShape = outShape(c, false);
      const base = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: c.round };
      const errF = await check('Conv2DBackpropFilter', () => ({ x: rand([c.n, c.h, c.w, c.ci], 1), dy: rand(dyShape, 2) }),
        { ...base, filterShape: [c.k[0], c.k[1], c.ci, c.co] });
      const errI = await check('Conv2DBackpropInput', () => ({ dy: rand(dyShape, 2), filter: rand([c.k[0], c.k[1], c.ci, c.co], 3) }),
        { ...base, inputShape: [c.n, c.h, c.w, c.ci] });
      expect(errF).toBeLessThan(TOL);
      expect(errI).toBeLessThan(TOL);
    });
  }

  it('supports NCHW by transposing', async () => {
    const base = { strides: 2, pad: 'same', dataFormat: 'NCHW' };
    const errF = await check('Conv2DBackpropFilter', () => ({ x: rand([2, 3, 9, 8], 1), dy: rand([2, 4, 5, 4], 2) }),
      { ...base, filterShape: [3, 3, 3, 4] });
    const errI = await check('Conv2DBackpropInput', () => ({ dy: rand([2, 4, 5, 4], 2), filter: rand([3, 3, 3, 4], 3) }),
      { ...base, inputShape: [2, 3, 9, 8] });
    expect(errF).toBeLessThan(TOL);
    expect(errI).toBeLessThan(TOL);
  });
});

describe('DepthwiseConv2dNativeBackpropFilter / Input on wasm', () => {
  const cases = [
    ...sweep(true),
    // Kernel-level calls may combine stride and dilation (the ops forbid it, the kernels don't).
    { n: 2, h: 12, w: 11, ci: 3, co: 2, k: [3, 3], s: 2, pad: 'same', d: 2 } as Case,
    { n: 1, h: 10, w: 13, ci: 2, co: 1, k: [2, 3], s: 1, pad: [[0, 0], [2, 0], [1, 3], [0, 0]], d: 3 } as Case,
  ];
  for (const c of cases) {
    it(label(c), async () => {
      const dyShape = outShape(c, true);
      const base = { strides: c.s, pad: c.pad, dilations: c.d, dimRoundingMode: c.round };
      const filterShape = [c.k[0], c.k[1], c.ci, c.co];
      const errF = await check('DepthwiseConv2dNativeBackpropFilter', () => ({ x: rand([c.n, c.h, c.w, c.ci], 1), dy: rand(dyShape, 2) }),
        { ...base, filterShape }, dilatedReference);
      const errI = await check('DepthwiseConv2dNativeBackpropInput', () => ({ dy: rand(dyShape, 2), filter: rand(filterShape, 3) }),
        { ...base, inputShape: [c.n, c.h, c.w, c.ci] }, dilatedReference);
      expect(errF).toBeLessThan(TOL);
      expect(errI).toBeLessThan(TOL);
    });
  }
});

describe('dilated depthwise gradients', () => {
  it('satisfy <dy, conv(x, f)> = <dW, f> = <dx, x> with cpu\'s dilated forward conv', async () => {
    const [x, f, dy] = [[2, 11, 10, 3], [3, 2, 3, 2], [2, 11, 10, 6]];
    const attrs = { strides: 1, pad: 'same', dilations: 2 } as const;
    await initBackend({ backend: 'cpu' });
    const forward = tf.tidy(() => tf.sum(tf.mul(tf.depthwiseConv2d(rand(x, 1) as tf.Tensor4D, rand(f, 2) as tf.Tensor4D, 1, 'same', 'NHWC', 2), rand(dy, 3))).dataSync()[0]);
    await initBackend({ backend: 'wasm' });
    const [viaW, viaX] = tf.tidy(() => [
      tf.sum(tf.mul(runKernel('DepthwiseConv2dNativeBackpropFilter', { x: rand(x, 1), dy: rand(dy, 3) }, { ...attrs, filterShape: f }), rand(f, 2))).dataSync()[0],
      tf.sum(tf.mul(runKernel('DepthwiseConv2dNativeBackpropInput', { dy: rand(dy, 3), filter: rand(f, 2) }, { ...attrs, inputShape: x }), rand(x, 1))).dataSync()[0],
    ]);
    expect(Math.abs(viaW - forward) / Math.abs(forward)).toBeLessThan(TOL);
    expect(Math.abs(viaX - forward) / Math.abs(forward)).toBeLessThan(TOL);
  });
});
