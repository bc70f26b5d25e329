import { type ArchitectureSpec, fitOptionsOf, learningRateScheduler, type TrainedArchitecture, type TrainingData, tf, warmupCosine } from '@neurozoo/core';
import { MLPClassifier } from './estimators.js';
import { Perceptron } from './perceptron.js';

const features = (d: TrainingData) => d.xShape.slice(1).reduce((a, b) => a * b, 1);
const metadataOf = (d: TrainingData, arch: string): Record<string, string> => ({
  'neurozoo.family': 'perceptron',
  'neurozoo.arch': arch,
  'neurozoo.dataset': d.name,
  'neurozoo.input': `float32 [batch, ${features(d)}], flattened ${JSON.stringify(d.xShape.slice(1))} as loaded by @neurozoo/datasets`,
  'neurozoo.classes': JSON.stringify(d.classNames ?? Array.from({ length: d.numClasses }, (_, i) => String(i))),
});
const sample = (d: TrainingData, max = 64) => {
  const n = Math.min(max, d.y.length);
  return tf.tensor2d(d.x.subarray(0, n * features(d)), [n, features(d)]);
};

/** The Rosenblatt perceptron (perceptron rule), one unit per class. */
export const perceptronArchitecture: ArchitectureSpec = {
  name: 'perceptron',
  description: 'Rosenblatt perceptron trained by the perceptron rule (linear, one unit per class)',
  datasets: ['mnist', 'fashion-mnist', 'iris'],
  defaults: { epochs: 5, batchSize: 1 },
  async train({ train, test, epochs, seed }): Promise<TrainedArchitecture> {
    const p = new Perceptron({ inputSize: features(train), classes: train.numClasses });
    p.fit(train.x, train.y, { epochs, seed });
    return {
      model: p.toModel(),
      testMetrics: { accuracy: p.accuracy(test.x, test.y) },
      sampleInputs: sample(test),
      metadata: metadataOf(train, 'perceptron'),
    };
  },
};

/** The MLP classifier; its defaults reach >= 98% on the MNIST test set. */
export const mlpArchitecture: ArchitectureSpec = {
  name: 'mlp',
  description: 'multi-layer perceptron: ReLU hidden layers 256-128 with dropout 0.2, softmax head, Adam with cosine decay',
  datasets: ['mnist', 'fashion-mnist', 'iris'],
  defaults: { epochs: 12, batchSize: 128 },
  async train(request): Promise<TrainedArchitecture> {
    const { train, test, epochs, seed } = request;
    const small = features(train) < 32;
    const clf = new MLPClassifier({
      inputSize: features(train),
      hidden: small ? [16] : [256, 128],
      classes: train.numClasses,
      dropout: small ? 0 : 0.2,
      seed,
      learningRate: small ? 0.01 : 1e-3,
    });
    const x = { x: train.x, shape: [train.y.length, features(train)] };
    const fitResult = await clf.fit(x, train.y, { ...fitOptionsOf(request), callbacks: [learningRateScheduler(warmupCosine(epochs, 0, 1e-5))] });
    const metrics = clf.evaluate({ x: test.x, shape: [test.y.length, features(test)] }, test.y);
    return { model: clf.model, testMetrics: metrics, fit: fitResult, sampleInputs: sample(test), metadata: metadataOf(train, 'mlp') };
  },
};

/** Every architecture of this family, for the `neurozoo train` command. */
export const architectures: ArchitectureSpec[] = [perceptronArchitecture, mlpArchitecture];
