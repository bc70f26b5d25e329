/**
 * The `lstm` architecture for `neurozoo train`: it reads an MNIST image row by row (28 steps of
 * 28 pixels) and classifies it from the last LSTM state.
 */
import { type ArchitectureSpec, fit, fitOptionsOf, learningRateScheduler, type TrainedArchitecture, type TrainingData, tf, warmupCosine } from '@neurozoo/core';
import { sequenceClassifier } from '../builders/recurrent.js';

/** [n, h, w(, 1)] images as (steps = h, features = w); [n, t, f] sequences as they are. */
function stepsOf(d: TrainingData): { steps: number; features: number } {
  const [, steps, ...rest] = d.xShape;
  return { steps, features: rest.reduce((a, b) => a * b, 1) };
}

/** Accuracy of `model` on flat [n, steps*features] rows, in chunks. */
export function accuracyOf(model: tf.LayersModel, d: TrainingData, chunk = 1000): number {
  const per = d.x.length / d.y.length;
  let correct = 0;
  for (let from = 0; from < d.y.length; from += chunk) {
    const rows = Math.min(chunk, d.y.length - from);
    const pred = tf.tidy(() => (model.predict(tf.tensor2d(d.x.subarray(from * per, (from + rows) * per), [rows, per])) as tf.Tensor).argMax(-1));
    const p = pred.dataSync();
    pred.dispose();
    for (let i = 0; i < rows; i++) if (p[i] === d.y[from + i]) correct++;
  }
  return correct / d.y.length;
}

/** Row-wise sequence classifier: one LSTM(128) over the rows, softmax head, Adam with cosine decay. */
export const lstmArchitecture: ArchitectureSpec = {
  name: 'lstm',
  description: 'LSTM(128) reading each image row by row (28 steps of 28 pixels), softmax head; native ONNX LSTM',
  datasets: ['mnist', 'fashion-mnist'],
  defaults: { epochs: 5, batchSize: 128 },
  async train(request): Promise<TrainedArchitecture> {
    const { train, test, seed } = request;
    const { steps, features } = stepsOf(train);
    const model = sequenceClassifier({ steps, features, classes: train.numClasses, units: [128], flatInput: true, seed, learningRate: 2e-3 });
    const n = train.y.length;
    const x = tf.tensor2d(train.x, [n, steps * features]);
    const y = tf.oneHot(tf.tensor1d(train.y, 'int32'), train.numClasses).toFloat();
    let result: Awaited<ReturnType<typeof fit>>;
    try {
      result = await fit(model, x, y, { ...fitOptionsOf(request), callbacks: [learningRateScheduler(warmupCosine(request.epochs, 0, 1e-5))] });
    } finally {
      tf.dispose([x, y]);
    }
    const m = Math.min(64, test.y.length);
    return {
      model,
      fit: result,
      testMetrics: { accuracy: accuracyOf(model, test) },
      sampleInputs: tf.tensor2d(test.x.subarray(0, m * steps * features), [m, steps * features]),
      metadata: {
        'neurozoo.family': 'rnn',
        'neurozoo.arch': 'lstm',
        'neurozoo.dataset': train.name,
        'neurozoo.input': `float32 [batch, ${steps * features}]: ${steps} steps of ${features} features, row-major`,
        'neurozoo.classes': JSON.stringify(train.classNames ?? Array.from({ length: train.numClasses }, (_, i) => String(i))),
      },
    };
  },
};
