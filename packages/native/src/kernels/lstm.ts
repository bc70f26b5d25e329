/**
 * C++ versions of @neurozoo/core's two LSTM step kernels (`NeurozooLstmStep`,
 * `NeurozooLstmStepGrad`: the elementwise half of a time step, forward and backward),
 * which @neurozoo/rnn's fused LSTM calls once per step. Same inputs, attributes and
 * layouts as core's loops (see core's backend/kernels/lstmStep.ts); vectorised exp.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { type CpuBackend, f32 } from './util.js';

export const LSTM_STEP_KERNEL = 'NeurozooLstmStep';
export const LSTM_STEP_GRAD_KERNEL = 'NeurozooLstmStepGrad';

type Attrs = { step: number; gate: 'sigmoid' | 'hardSigmoid' };

function need(b: CpuBackend, t: tfjs.TensorInfo | undefined, kernel: string): Float32Array {
  const v = f32(b, t);
  if (v == null) throw new Error(`${kernel}: float32 cpu tensors expected`);
  return v;
}

export function lstmConfigs(addon: NativeAddon, backendName: string): tfjs.KernelConfig[] {
  const step: tfjs.KernelConfig = {
    kernelName: LSTM_STEP_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as CpuBackend;
      const { xp, r, cPrev } = inputs as Record<string, tfjs.TensorInfo>;
      const a = attrs as unknown as Attrs;
      const [B, G] = r.shape;
      const H = G / 4;
      const out = [new Float32Array(B * H), new Float32Array(B * H), new Float32Array(B * 5 * H)];
      const args = [xp, r, cPrev].map((t) => need(b, t, LSTM_STEP_KERNEL));
      addon.lstmStep(args[0], args[1], args[2], out[0], out[1], out[2], Int32Array.of(B, H, a.step, a.gate === 'hardSigmoid' ? 1 : 0));
      return [b.makeTensorInfo([B, H], 'float32', out[0]), b.makeTensorInfo([B, H], 'float32', out[1]), b.makeTensorInfo([B, 5 * H], 'float32', out[2])];
    },
  };
  const grad: tfjs.KernelConfig = {
    kernelName: LSTM_STEP_GRAD_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as CpuBackend;
      const { acts, cPrev, dSeq, dh, dcNext } = inputs as Record<string, tfjs.TensorInfo | undefined>;
      const a = attrs as unknown as Attrs;
      const [S, B, H] = (cPrev as tfjs.TensorInfo).shape;
      const dz = new Float32Array(B * 4 * H);
      const dcPrev = new Float32Array(B * H);
      const k = LSTM_STEP_GRAD_KERNEL;
      const opt = (t: tfjs.TensorInfo | undefined) => (t === undefined ? null : need(b, t, k));
      addon.lstmStepGrad(need(b, acts, k), need(b, cPrev, k), need(b, dSeq, k), opt(dh), opt(dcNext), dz, dcPrev, Int32Array.of(S, B, H, a.step, a.gate === 'hardSigmoid' ? 1 : 0));
      return [b.makeTensorInfo([B, 4 * H], 'float32', dz), b.makeTensorInfo([B, H], 'float32', dcPrev)];
    },
  };
  return [step, grad];
}
