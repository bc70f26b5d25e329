/**
 * {@link Autoencoder}: compile, train (reconstruction loss, early stopping), encode, decode,
 * reconstruct, score, and export the three graphs to ONNX.
 */
import { earlyStopping, exportOnnx, fit, type FitOptions, type FitResult, OptionError, ShapeError, tf } from '@neurozoo/core';
import type { AutoencoderModels } from './builders/index.js';

/** Reconstruction losses: mean squared error, or binary cross-entropy (pixels in [0, 1], sigmoid output). */
export type ReconstructionLoss = 'mse' | 'bce';

/** Options of the {@link Autoencoder} constructor. */
export interface AutoencoderOptions {
  /** Training loss (default 'bce'). */
  loss?: ReconstructionLoss;
  /** Adam step size (default 1e-3). */
  learningRate?: number;
}

/** Options of {@link Autoencoder.fit}: core's fit options, plus early stopping on the validation loss. */
export interface AutoencoderFitOptions extends Omit<FitOptions, 'validationData' | 'validationSplit'> {
  /** Held-out samples (same layout as x) for val_loss and early stopping. */
  validation?: Float32Array;
  /** Fraction of x held out from the end when `validation` is not given (default 0.1; 0 = none). */
  validationSplit?: number;
  /** Epochs without val_loss improvement before stopping, restoring the best weights (default 3; 0 = off). */
  patience?: number;
}

/** The three ONNX graphs of an autoencoder. */
export interface AutoencoderOnnx {
  encoder: Uint8Array;
  decoder: Uint8Array;
  autoencoder: Uint8Array;
}

const sizeOf = (shape: readonly (number | null)[]) => shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);

/** An autoencoder over its three shared-weight models. */
export class Autoencoder {
  readonly model: tf.LayersModel;
  readonly encoder: tf.LayersModel;
  readonly decoder: tf.LayersModel;
  readonly loss: ReconstructionLoss;

  constructor(models: AutoencoderModels, options: AutoencoderOptions = {}) {
    this.loss = options.loss ?? 'bce';
    if (this.loss !== 'mse' && this.loss !== 'bce') throw new OptionError(`loss must be 'mse' or 'bce', got '${this.loss}'`);
    ({ model: this.model, encoder: this.encoder, decoder: this.decoder } = models);
    this.model.compile({
      optimizer: tf.train.adam(options.learningRate ?? 1e-3),
      loss: this.loss === 'mse' ? 'meanSquaredError' : 'binaryCrossentropy',
    });
  }

  /** Features per sample of the input (784 for MNIST, dense or 28x28x1). */
  get inputSize(): number {
    return sizeOf(this.model.inputs[0].shape);
  }

  /** Size of the code per sample. */
  get codeSize(): number {
    return sizeOf(this.encoder.outputs[0].shape);
  }

  /** Row-major samples as a tensor of `model`'s input shape. */
  private tensor(x: Float32Array, model: tf.LayersModel): tf.Tensor {
    const per = sizeOf(model.inputs[0].shape);
    if (x.length % per !== 0) throw new ShapeError(`Expected a multiple of ${per} values (${model.name} input), got ${x.length}`);
    return tf.tensor(x, [x.length / per, ...(model.inputs[0].shape.slice(1) as number[])]);
  }

  /** Trains the model to reproduce x (targets = clean inputs), with early stopping on val_loss. */
  async fit(x: Float32Array, options: AutoencoderFitOptions = {}): Promise<FitResult> {
    const { validation, validationSplit = 0.1, patience = 3, callbacks = [], ...rest } = options;
    let train = x;
    let val = validation;
    if (!val && validationSplit > 0) {
      const n = x.length / this.inputSize;
      const cut = (n - Math.floor(n * validationSplit)) * this.inputSize;
      [train, val] = [x.subarray(0, cut), x.subarray(cut)];
    }
    const xt = this.tensor(train, this.model);
    const vt = val ? this.tensor(val, this.model) : null;
    const stop = vt && patience > 0 ? [earlyStopping({ monitor: 'val_loss', patience })] : [];
    try {
      return await fit(this.model, xt, xt, { ...rest, ...(vt ? { validationData: [vt, vt] } : {}), callbacks: [...callbacks, ...stop] });
    } finally {
      tf.dispose([xt, ...(vt ? [vt] : [])]);
    }
  }

  /** Runs `model` on row-major samples in chunks, returning its flat output. */
  private run(model: tf.LayersModel, x: Float32Array, chunk = 1000): Float32Array {
    const per = sizeOf(model.inputs[0].shape);
    const n = x.length / per;
    const outPer = sizeOf(model.outputs[0].shape);
    const out = new Float32Array(n * outPer);
    for (let from = 0; from < n; from += chunk) {
      const rows = Math.min(chunk, n - from);
      const y = tf.tidy(() => model.predict(this.tensor(x.subarray(from * per, (from + rows) * per), model)) as tf.Tensor);
      out.set(y.dataSync() as Float32Array, from * outPer);
      y.dispose();
    }
    return out;
  }

  /** Codes of row-major samples x (flat, `codeSize` per sample). */
  encode(x: Float32Array): Float32Array {
    return this.run(this.encoder, x);
  }

  /** Reconstructions of codes (flat, `inputSize` per sample). */
  decode(code: Float32Array): Float32Array {
    return this.run(this.decoder, code);
  }

  /** Reconstructions of x (noise and sparsity penalties are off outside training). */
  reconstruct(x: Float32Array): Float32Array {
    return this.run(this.model, x);
  }

  /** Per-sample sum of squared errors between x and its reconstruction (the anomaly score). */
  reconstructionErrors(x: Float32Array): Float32Array {
    return sumSquaredErrors(x, this.reconstruct(x), this.inputSize);
  }

  /** Exports the encoder, decoder and full autoencoder as ONNX ModelProto bytes. */
  async exportOnnx(options: { opset?: number; metadata?: Record<string, string> } = {}): Promise<AutoencoderOnnx> {
    const meta = (graph: string) => ({ ...options.metadata, 'neurozoo.family': 'autoencoder', 'neurozoo.graph': graph });
    return {
      encoder: await exportOnnx(this.encoder, { opset: options.opset, metadata: meta('encoder') }),
      decoder: await exportOnnx(this.decoder, { opset: options.opset, metadata: meta('decoder') }),
      autoencoder: await exportOnnx(this.model, { opset: options.opset, metadata: meta('autoencoder') }),
    };
  }
}

/** Per-sample sum of squared differences of two flat arrays with `size` values per sample. */
export function sumSquaredErrors(x: Float32Array, y: Float32Array, size: number): Float32Array {
  if (x.length !== y.length) throw new ShapeError(`Expected arrays of equal length, got ${x.length} and ${y.length}`);
  const out = new Float32Array(x.length / size);
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let j = i * size; j < (i + 1) * size; j++) s += (x[j] - y[j]) ** 2;
    out[i] = s;
  }
  return out;
}
