/**
 * A fused Adam update. tfjs's AdamOptimizer runs ~12 elementwise ops per variable, each
 * a separate pass (and allocation) in the cpu backend's plain JS; `NeurozooAdam` does
 * them in one native pass. AdamOptimizer.applyGradients is wrapped so it uses the kernel
 * when the active backend has it and runs tfjs's own code otherwise.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { NativeAddon } from '../addon.js';
import { type CpuBackend, f32, type Tf } from './util.js';

/** Name of the fused kernel (inputs x, g, m, v; attrs lr, beta1, beta2, epsilon, c1, c2). */
export const ADAM_KERNEL = 'NeurozooAdam';

export function adamConfig(addon: NativeAddon, backendName: string): tfjs.KernelConfig {
  return {
    kernelName: ADAM_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const b = backend as unknown as CpuBackend;
      const { x, g, m, v } = inputs as Record<string, tfjs.TensorInfo>;
      const a = attrs as Record<string, number>;
      const vals = [f32(b, x), f32(b, g), f32(b, m), f32(b, v)];
      if (vals.some((t) => t == null)) throw new Error('NeurozooAdam: float32 cpu tensors expected');
      const n = (vals[0] as Float32Array).length;
      const out = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
      const [xv, gv, mv, vv] = vals as Float32Array[];
      addon.adam(xv, gv, mv, vv, out[0], out[1], out[2], Float32Array.of(a.lr, a.beta1, a.beta2, a.epsilon, a.c1, a.c2));
      return out.map((o) => b.makeTensorInfo([...x.shape], 'float32', o));
    },
  };
}

type AdamInternals = {
  learningRate: number; beta1: number; beta2: number; epsilon: number;
  accBeta1: tfjs.Variable; accBeta2: tfjs.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tfjs.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tfjs.Variable }[];
  incrementIterations(): void;
};

const PATCHED = Symbol.for('neurozoo.nativeAdam');

/** Wraps AdamOptimizer.applyGradients once per tfjs instance (see the module comment). */
export function patchAdam(tf: Tf, backendName: string): void {
  const proto = tf.AdamOptimizer.prototype as unknown as Record<string | symbol, unknown>;
  if (proto[PATCHED]) return;
  const original = proto.applyGradients as (this: unknown, g: tfjs.NamedTensorMap | { name: string; tensor: tfjs.Tensor }[]) => void;
  proto[PATCHED] = true;
  proto.applyGradients = function (this: AdamInternals, grads: tfjs.NamedTensorMap | { name: string; tensor: tfjs.Tensor }[]) {
    if (tf.getBackend() !== backendName) return original.call(this, grads);
    const names = Array.isArray(grads) ? grads.map((g) => g.name) : Object.keys(grads);
    // accBeta1/2 hold beta^t for the step being taken (tfjs multiplies them after it).
    const [c1, c2] = [1 - (this.accBeta1.dataSync()[0] as number), 1 - (this.accBeta2.dataSync()[0] as number)];
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        this.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        this.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const g = Array.isArray(grads) ? grads[i].tensor : grads[name];
        if (g == null) return;
        const m = this.accumulatedFirstMoment[i].variable;
        const v = this.accumulatedSecondMoment[i].variable;
        const attrs = { lr: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, c1, c2 };
        const [x1, m1, v1] = tf.engine().runKernel(ADAM_KERNEL, { x: value, g, m, v }, attrs) as tfjs.Tensor[];
        m.assign(m1);
        v.assign(v1);
        value.assign(x1);
      });
      this.accBeta1.assign(tf.mul(this.accBeta1, this.beta1));
      this.accBeta2.assign(tf.mul(this.accBeta2, this.beta2));
    });
    this.incrementIterations();
  };
}
