/** The family's architectures for `neurozoo train` / `neurozoo inspect`. */
import {
  type ArchitectureSpec, fitOptionsOf, type InspectRequest, type TrainedArchitecture, type TrainingData, type TrainRequest, tf, verifyOnnx,
} from '@neurozoo/core';
import { createSession } from '@neurozoo/core/runtime';
import { Autoencoder } from './autoencoder.js';
import { type AutoencoderModels, deepAutoencoder, denoisingAutoencoder, undercompleteAutoencoder } from './builders/index.js';
import { convAutoencoder } from './builders/index.js';
import { inspectAutoencoder } from './inspect.js';
import { PCA } from './pca.js';

const features = (d: TrainingData) => d.xShape.slice(1).reduce((a, b) => a * b, 1);
const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;

/** Trains `models` on the request's training split (10% held out for early stopping) and scores the test split. */
async function trainAndScore(
  arch: string,
  models: AutoencoderModels,
  request: TrainRequest,
  pcaBaseline: boolean,
): Promise<TrainedArchitecture> {
  const { train, test } = request;
  const ae = new Autoencoder(models, { loss: 'bce' });
  const fitResult = await ae.fit(train.x, { ...fitOptionsOf(request), validationSplit: 0.1, patience: 3 });
  const d = features(test);
  const sse = mean(ae.reconstructionErrors(test.x));
  const testMetrics: Record<string, number> = { sse, mse: sse / d };
  if (pcaBaseline) {
    // Same code size, fitted on (at most) the first 10000 training images, scored on the same test split.
    const n = Math.min(10_000, train.xShape[0]);
    const pca = PCA.fit(train.x.subarray(0, n * d), d, ae.codeSize);
    testMetrics.pcaSse = mean(pca.reconstructionErrors(test.x));
  }
  const n = Math.min(64, test.xShape[0]);
  const inputShape = ae.model.inputs[0].shape.slice(1) as number[];
  const sampleInputs = tf.tensor(test.x.subarray(0, n * d), [n, ...inputShape]);
  // The encoder and decoder graphs go beside model.onnx (the full autoencoder), with their parity.
  const graphs = await ae.exportOnnx();
  const codes = ae.encoder.predict(sampleInputs) as tf.Tensor;
  const encoderParity = await verifyOnnx(ae.encoder, graphs.encoder, sampleInputs);
  const decoderParity = await verifyOnnx(ae.decoder, graphs.decoder, codes);
  codes.dispose();
  return {
    model: ae.model,
    testMetrics,
    fit: fitResult,
    sampleInputs,
    files: { 'encoder.onnx': graphs.encoder, 'decoder.onnx': graphs.decoder },
    evaluateOnnx: async (bytes) => ({
      ...(await reconstructInOnnxruntime(bytes, ae.model, test.x)),
      encoderMaxAbsError: encoderParity.maxAbsError,
      decoderMaxAbsError: decoderParity.maxAbsError,
    }),
    metadata: {
      'neurozoo.family': 'autoencoder',
      'neurozoo.arch': arch,
      'neurozoo.dataset': train.name,
      'neurozoo.input': `float32 [batch, ${ae.model.inputs[0].shape.slice(1).join(', ')}], pixels in [0, 1] as loaded by @neurozoo/datasets`,
      'neurozoo.code': JSON.stringify(ae.encoder.outputs[0].shape.slice(1)),
      'neurozoo.loss': 'bce',
    },
  };
}

/** Runs the full graph on the whole test split with onnxruntime-node: mean per-sample SSE against the input, max difference from tfjs. */
async function reconstructInOnnxruntime(bytes: Uint8Array, model: tf.LayersModel, x: Float32Array): Promise<Record<string, number | string>> {
  const session = await createSession(bytes, { devices: ['cpu'] });
  const shape = model.inputs[0].shape.slice(1) as number[];
  const per = shape.reduce((a, b) => a * b, 1);
  const n = x.length / per;
  let sse = 0;
  let maxAbs = 0;
  for (let from = 0; from < n; from += 1000) {
    const rows = Math.min(1000, n - from);
    const data = x.subarray(from * per, (from + rows) * per);
    const ort = (await session.run({ data, dims: [rows, ...shape] }))[session.outputs[0].name].data as Float32Array;
    const ref = tf.tidy(() => (model.predict(tf.tensor(data, [rows, ...shape])) as tf.Tensor).dataSync());
    for (let i = 0; i < data.length; i++) {
      sse += (ort[i] - data[i]) ** 2;
      maxAbs = Math.max(maxAbs, Math.abs(ort[i] - ref[i]));
    }
  }
  const provider = session.provider;
  await session.release();
  return { provider, sse: sse / n, maxAbsErrorVsTfjs: maxAbs };
}

const common = {
  datasets: ['mnist', 'fashion-mnist'],
  inspect: (r: InspectRequest) => inspectAutoencoder(r),
};

/** The seed's three-layer undercomplete autoencoder, 784-64-784 (ReLU code, sigmoid output). */
export const autoencoderArchitecture: ArchitectureSpec = {
  ...common,
  name: 'autoencoder',
  description: 'three-layer undercomplete autoencoder 784-64-784 (ReLU code, sigmoid output, BCE, Adam), PCA baseline',
  defaults: { epochs: 10, batchSize: 128 },
  train: (r) => trainAndScore('autoencoder', undercompleteAutoencoder({ inputSize: features(r.train), code: 64, seed: r.seed }), r, true),
};

/** Hinton & Salakhutdinov's deep autoencoder 784-1000-500-250-30 (ReLU, linear code), trained end to end with Adam. */
export const deepAutoencoderArchitecture: ArchitectureSpec = {
  ...common,
  name: 'deep-autoencoder',
  description: 'deep autoencoder 784-1000-500-250-30 (Hinton & Salakhutdinov 2006; ReLU, linear code, BCE, Adam), PCA baseline',
  defaults: { epochs: 20, batchSize: 128 },
  train: (r) => trainAndScore('deep-autoencoder', deepAutoencoder({ inputSize: features(r.train), seed: r.seed }), r, true),
};

/** The denoising autoencoder 784-256-64-256-784: Gaussian noise (0.3) on the input while training only. */
export const denoisingAutoencoderArchitecture: ArchitectureSpec = {
  ...common,
  name: 'denoising-autoencoder',
  description: 'denoising autoencoder 784-256-64-256-784, Gaussian input noise 0.3 in training only (BCE, Adam), PCA baseline',
  defaults: { epochs: 10, batchSize: 128 },
  train: (r) =>
    trainAndScore('denoising-autoencoder', denoisingAutoencoder({ inputSize: features(r.train), hidden: [256], code: 64, noise: 0.3, seed: r.seed }), r, true),
};

/** The convolutional autoencoder 28x28x1 -> 7x7x8 -> 28x28x1 (tfjs's conv layers, core's converters). */
export const convAutoencoderArchitecture: ArchitectureSpec = {
  ...common,
  name: 'conv-autoencoder',
  description: 'convolutional autoencoder 28x28x1 -> 7x7x8 -> 28x28x1 (Conv2D/MaxPool/UpSampling2D, BCE, Adam)',
  defaults: { epochs: 5, batchSize: 128 },
  train: (r) => {
    const [h, w, c] = r.train.xShape.length === 4 ? r.train.xShape.slice(1) : [28, 28, 1];
    return trainAndScore('conv-autoencoder', convAutoencoder({ inputShape: [h, w, c], seed: r.seed }), r, false);
  },
};

/** Every architecture of this family, for the `neurozoo train` command. */
export const architectures: ArchitectureSpec[] = [
  autoencoderArchitecture, deepAutoencoderArchitecture, convAutoencoderArchitecture, denoisingAutoencoderArchitecture,
];
