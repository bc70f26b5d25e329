/**
 * RBM features + logistic regression: a multinomial logistic regression (softmax layer, Adam,
 * L2) trained on the RBM's hidden probabilities, then joined with the RBM's recognition layer
 * into one tfjs model [batch, visible] -> [batch, classes] that exports to ONNX like any MLP.
 */
import { type FitResult, fit, learningRateScheduler, tf, warmupCosine, withSeedSync } from '@neurozoo/core';
import { transformRows } from './dbn.js';
import type { RBM } from './rbm.js';

/** Options of {@link rbmClassifier}. */
export interface LogisticOptions {
  /** Epochs of the logistic regression (default 30). */
  epochs?: number;
  batchSize?: number;
  /** Adam learning rate (default 3e-3), cosine-decayed to 0. */
  learningRate?: number;
  /** L2 penalty on the softmax weights (default 1e-5). */
  l2?: number;
  seed?: number;
  verbose?: boolean | 'auto';
}

/** Trains logistic regression on `rbm.transform(x)` and returns the joined classifier and the head's fit. */
export async function rbmClassifier(
  rbm: RBM,
  x: Float32Array,
  y: Int32Array,
  classes: number,
  options: LogisticOptions = {},
): Promise<{ model: tf.Sequential; fit: FitResult }> {
  const { epochs = 30, batchSize = 100, learningRate = 3e-3, l2 = 1e-5, seed = 0, verbose = false } = options;
  const head = withSeedSync(seed, () =>
    tf.layers.dense({ units: classes, activation: 'softmax', name: 'logistic_regression', kernelRegularizer: l2 > 0 ? tf.regularizers.l2({ l2 }) : undefined }),
  );
  const lr = tf.sequential({ name: 'logistic_regression_head' });
  lr.add(tf.layers.inputLayer({ inputShape: [rbm.hidden] }));
  lr.add(head);
  lr.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const features = tf.tensor2d(transformRows(rbm, x), [y.length, rbm.hidden]);
  const targets = tf.oneHot(tf.tensor1d(y, 'int32'), classes).toFloat();
  let result: FitResult;
  try {
    result = await fit(lr, features, targets, { epochs, batchSize, seed, verbose, callbacks: [learningRateScheduler(warmupCosine(epochs, 0, 0))] });
  } finally {
    tf.dispose([features, targets]);
  }
  const model = tf.sequential({ name: 'rbm_logistic' });
  model.add(rbm.toLayer('rbm'));
  const joined = tf.layers.dense({ units: classes, activation: 'softmax', name: 'logistic_regression' });
  model.add(joined);
  joined.setWeights(head.getWeights());
  lr.dispose();
  return { model, fit: result };
}
