import { OptionError, ShapeError, type tf } from '@neurozoo/core';

/**
 * Backpropagation made visible: a dense network written out by hand, with the forward pass
 * and the layer-by-layer chain rule in plain loops over Float64Arrays. Its gradients equal
 * tfjs autodiff (tested), so it is a readable reference for what `model.fit` computes.
 */

export type ScratchActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax';

/** One dense layer: z = a_prev · W + b, a = f(z). W is [inputs, outputs] row-major like tfjs. */
export interface ScratchLayer {
  inputs: number;
  outputs: number;
  weights: Float64Array;
  bias: Float64Array;
  activation: ScratchActivation;
}

/** Values kept by the forward pass for the backward pass. */
export interface ForwardTrace {
  batch: number;
  /** a[0] is the input; a[l + 1] the output of layer l. */
  activations: Float64Array[];
  /** z[l], layer l's value before its activation. */
  preActivations: Float64Array[];
}

/** Gradient of the loss for one layer, and δ = ∂L/∂z, the error signal sent backwards. */
export interface LayerGradient {
  dWeights: Float64Array;
  dBias: Float64Array;
  delta: Float64Array;
}

/** 'mse': mean of (a - y)² over every element; 'crossentropy': softmax head, mean over the batch. */
export type ScratchLoss = 'mse' | 'crossentropy';

/** Copies the Dense layers of a tfjs model (no other layers) into scratch layers. */
export function layersFromModel(model: tf.LayersModel): ScratchLayer[] {
  return model.layers.map((layer) => {
    const cls = layer.getClassName();
    if (cls !== 'Dense') throw new OptionError(`layersFromModel handles Dense layers only, found ${cls} '${layer.name}'`);
    const [w, b] = layer.getWeights();
    const config = layer.getConfig() as { activation: ScratchActivation; useBias: boolean };
    if (!['linear', 'relu', 'sigmoid', 'tanh', 'softmax'].includes(config.activation)) {
      throw new OptionError(`layersFromModel supports linear, relu, sigmoid, tanh and softmax, found '${config.activation}'`);
    }
    const [inputs, outputs] = w.shape as [number, number];
    return {
      inputs,
      outputs,
      weights: Float64Array.from(w.dataSync()),
      bias: b ? Float64Array.from(b.dataSync()) : new Float64Array(outputs),
      activation: config.activation,
    };
  });
}

function activate(f: ScratchActivation, z: Float64Array, width: number): Float64Array {
  const a = new Float64Array(z.length);
  if (f === 'softmax') {
    for (let r = 0; r < z.length / width; r++) {
      let max = -Infinity;
      for (let j = 0; j < width; j++) max = Math.max(max, z[r * width + j]);
      let sum = 0;
      for (let j = 0; j < width; j++) sum += a[r * width + j] = Math.exp(z[r * width + j] - max);
      for (let j = 0; j < width; j++) a[r * width + j] /= sum;
    }
    return a;
  }
  for (let i = 0; i < z.length; i++) {
    const v = z[i];
    a[i] = f === 'relu' ? Math.max(0, v) : f === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : f === 'tanh' ? Math.tanh(v) : v;
  }
  return a;
}

/** f'(z) expressed through a = f(z) where that is the textbook form. */
function derivative(f: ScratchActivation, z: number, a: number): number {
  switch (f) {
    case 'relu': return z > 0 ? 1 : 0;
    case 'sigmoid': return a * (1 - a);
    case 'tanh': return 1 - a * a;
    default: return 1;
  }
}

/** Forward pass over `batch` rows of `x`. */
export function forward(layers: ScratchLayer[], x: Float64Array, batch: number): ForwardTrace {
  if (x.length !== batch * layers[0].inputs) throw new ShapeError(`x must hold ${batch} rows of ${layers[0].inputs}, got length ${x.length}`);
  const activations = [x];
  const preActivations: Float64Array[] = [];
  for (const L of layers) {
    const prev = activations[activations.length - 1];
    const z = new Float64Array(batch * L.outputs);
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < L.outputs; j++) {
        let s = L.bias[j];
        for (let i = 0; i < L.inputs; i++) s += prev[r * L.inputs + i] * L.weights[i * L.outputs + j];
        z[r * L.outputs + j] = s;
      }
    }
    preActivations.push(z);
    activations.push(activate(L.activation, z, L.outputs));
  }
  return { batch, activations, preActivations };
}

/** Loss of a forward trace against targets `y` (one-hot for crossentropy). */
export function lossOf(trace: ForwardTrace, y: Float64Array, loss: ScratchLoss): number {
  const out = trace.activations[trace.activations.length - 1];
  let total = 0;
  for (let i = 0; i < out.length; i++) {
    total += loss === 'mse' ? (out[i] - y[i]) ** 2 : -y[i] * Math.log(Math.max(out[i], 1e-7));
  }
  return loss === 'mse' ? total / out.length : total / trace.batch;
}

/**
 * The chain rule, layer by layer from the output back to the input:
 * δ_L = ∂L/∂a_L ⊙ f'(z_L) (for softmax + cross-entropy, δ_L = (a_L - y) / batch);
 * ∂L/∂W_l = a_{l-1}ᵀ · δ_l, ∂L/∂b_l = Σ_rows δ_l; δ_{l-1} = (δ_l · W_lᵀ) ⊙ f'(z_{l-1}).
 */
export function backward(layers: ScratchLayer[], trace: ForwardTrace, y: Float64Array, loss: ScratchLoss): LayerGradient[] {
  const n = trace.batch;
  const last = layers.length - 1;
  const out = trace.activations[last + 1];
  if (loss === 'crossentropy' && layers[last].activation !== 'softmax') {
    throw new OptionError("backward with 'crossentropy' expects a softmax output layer");
  }
  let delta = new Float64Array(out.length);
  for (let i = 0; i < out.length; i++) {
    delta[i] = loss === 'crossentropy'
      ? (out[i] - y[i]) / n
      : ((2 * (out[i] - y[i])) / out.length) * derivative(layers[last].activation, trace.preActivations[last][i], out[i]);
  }
  const grads: LayerGradient[] = new Array(layers.length);
  for (let l = last; l >= 0; l--) {
    const L = layers[l];
    const prev = trace.activations[l];
    const dWeights = new Float64Array(L.inputs * L.outputs);
    const dBias = new Float64Array(L.outputs);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < L.outputs; j++) {
        const d = delta[r * L.outputs + j];
        dBias[j] += d;
        for (let i = 0; i < L.inputs; i++) dWeights[i * L.outputs + j] += prev[r * L.inputs + i] * d;
      }
    }
    grads[l] = { dWeights, dBias, delta };
    if (l === 0) break;
    const below = layers[l - 1];
    const next = new Float64Array(n * L.inputs);
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < L.inputs; i++) {
        let s = 0;
        for (let j = 0; j < L.outputs; j++) s += delta[r * L.outputs + j] * L.weights[i * L.outputs + j];
        const k = r * L.inputs + i;
        next[k] = s * derivative(below.activation, trace.preActivations[l - 1][k], prev[k]);
      }
    }
    delta = next;
  }
  return grads;
}

/** One step of plain gradient descent: W -= lr · ∂L/∂W. */
export function gradientDescentStep(layers: ScratchLayer[], grads: LayerGradient[], learningRate: number): void {
  layers.forEach((L, l) => {
    for (let i = 0; i < L.weights.length; i++) L.weights[i] -= learningRate * grads[l].dWeights[i];
    for (let j = 0; j < L.bias.length; j++) L.bias[j] -= learningRate * grads[l].dBias[j];
  });
}

/** A per-layer summary of one backward pass (gradient norms), for printing while learning. */
export function describeGradients(grads: LayerGradient[]): string[] {
  const norm = (a: Float64Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
  return grads.map((g, l) => `layer ${l + 1}: |dL/dW| = ${norm(g.dWeights).toExponential(3)}  |dL/db| = ${norm(g.dBias).toExponential(3)}  |delta| = ${norm(g.delta).toExponential(3)}`);
}
