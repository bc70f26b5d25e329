/**
 * The models registered with the harness. A family adds its own with one call, e.g. in
 * `src/models/<family>.ts` imported below (see README.md).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mnistNet } from '@neurozoo/cnn';
import { loadModel, tf, withSeedSync } from '@neurozoo/core';
import { loadMnist } from '@neurozoo/datasets';
import { MLPClassifier } from '@neurozoo/perceptron';
import { quantizedHarnessModel } from './models/quantized.js';
import { CACHE_DIR } from './paths.js';
import { registerHarnessModel } from './registry.js';
import './models/rnn.js';
import './models/transformer.js';
import './models/rbm-dbn.js';

/** The MNIST MLP the digit demo uses: 784-128-10, one epoch (about 96% test accuracy), cached. */
export const MNIST_MLP = 'mnist-mlp';

async function mnistMlp(): Promise<tf.LayersModel> {
  const dir = join(CACHE_DIR, 'mnist-mlp-784-128-10-e1-s0');
  if (existsSync(join(dir, 'model.json'))) return loadModel(dir);
  const { train } = loadMnist();
  const clf = new MLPClassifier({ inputSize: 784, hidden: [128], classes: 10, seed: 0 });
  await clf.fit({ x: train.x, shape: [train.x.length / 784, 784] }, train.y, { epochs: 1, batchSize: 128, verbose: false });
  await clf.save(dir);
  return clf.model;
}

registerHarnessModel({
  name: MNIST_MLP,
  build: mnistMlp,
  inputs: () => [tf.tensor2d(loadMnist().test.x.subarray(0, 4 * 784), [4, 784])],
});

// The same MLP quantized (exportOnnx's `quantize`), checked against onnxruntime-node's outputs.
// Neither WebGPU EP has DynamicQuantizeLinear or MatMulInteger kernels: under WebGPU those two
// nodes per Dense run on the CPU EP (wasm), the Cast/Mul/Add after them on the GPU.
const int8OffGpu = ['DynamicQuantizeLinear', 'DynamicQuantizeLinear', 'MatMulInteger', 'MatMulInteger'];
for (const mode of ['int8', 'fp16'] as const) {
  registerHarnessModel(
    quantizedHarnessModel({
      name: `${MNIST_MLP}-${mode}`,
      mode,
      notOnWebGpu: mode === 'int8' ? { default: int8OffGpu, webgpu: int8OffGpu } : undefined,
      build: mnistMlp,
      inputs: () => tf.tensor2d(loadMnist().test.x.subarray(0, 4 * 784), [4, 784]),
    }),
  );
}

registerHarnessModel({
  name: 'dense-layernorm-concat',
  build: () =>
    withSeedSync(1, () => {
      const a = tf.input({ shape: [12], name: 'a' });
      const b = tf.input({ shape: [6], name: 'b' });
      const ha = tf.layers.dense({ units: 16, activation: 'relu' }).apply(a) as tf.SymbolicTensor;
      const hb = tf.layers.dense({ units: 8, activation: 'tanh' }).apply(b) as tf.SymbolicTensor;
      const cat = tf.layers.concatenate().apply([ha, hb]) as tf.SymbolicTensor;
      const norm = tf.layers.layerNormalization().apply(cat) as tf.SymbolicTensor;
      const out = tf.layers.dense({ units: 5, activation: 'softmax' }).apply(norm) as tf.SymbolicTensor;
      return tf.model({ inputs: [a, b], outputs: [out, norm] });
    }),
});

registerHarnessModel({
  name: 'embedding',
  build: () =>
    withSeedSync(2, () => {
      const ids = tf.input({ shape: [7], dtype: 'int32', name: 'ids' });
      const emb = tf.layers.embedding({ inputDim: 50, outputDim: 8 }).apply(ids) as tf.SymbolicTensor;
      const flat = tf.layers.flatten().apply(emb) as tf.SymbolicTensor;
      const out = tf.layers.dense({ units: 3 }).apply(flat) as tf.SymbolicTensor;
      return tf.model({ inputs: ids, outputs: out });
    }),
  // JSEP keeps the int32 -> int64 Cast of the ids on the CPU; the native WebGPU EP runs it.
  notOnWebGpu: { default: ['Cast'] },
});

/** Four MNIST test images as NHWC [4, 28, 28, 1], the cnn family's default input. */
const mnistImages = () => [tf.tensor4d(loadMnist().test.x.subarray(0, 4 * 784), [4, 28, 28, 1])];

// The cnn family: conv/pool stages run NCHW inside the graph, with one Transpose at each end.
// LeNet-5 is not registered yet: on the native WebGPU EP bundle (onnxruntime-web/webgpu 1.30)
// its outputs differ from tfjs by 6e-3 while the default bundle's WebGPU and wasm agree within
// 3e-8; a 'same' tanh conv stage and an average-pool stage each pass alone. To be bisected.
registerHarnessModel({ name: 'cnn-mnist-net', build: () => mnistNet({}, 3), inputs: mnistImages });

// Quantized like the MLP: int8 convolutions are DynamicQuantizeLinear + ConvInteger, which (with
// the head's MatMulInteger) no WebGPU EP implements, so they run on the CPU EP under WebGPU.
const cnnInt8OffGpu = ['ConvInteger', 'ConvInteger', ...['DynamicQuantizeLinear', 'DynamicQuantizeLinear', ...int8OffGpu]].sort();
for (const mode of ['int8', 'fp16'] as const) {
  registerHarnessModel(
    quantizedHarnessModel({
      name: `cnn-mnist-net-${mode}`,
      mode,
      notOnWebGpu: mode === 'int8' ? { default: cnnInt8OffGpu, webgpu: cnnInt8OffGpu } : undefined,
      build: async () => mnistNet({}, 3),
      inputs: () => mnistImages()[0],
    }),
  );
}
