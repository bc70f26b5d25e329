/**
 * Training and evaluation of CNN classifiers on plain typed arrays with core's fit loop
 * (Adam, categorical cross-entropy, warm-up + cosine learning-rate decay per epoch).
 */
import { DataError, type FitOptions, type FitResult, fit, learningRateScheduler, tf, warmupCosine } from '@neurozoo/core';

/** Images as a flat Float32Array and the shape the model takes ([n, h, w, c] or [n, h*w*c]). */
export interface Images {
  x: Float32Array;
  shape: number[];
}

/** Options of {@link trainClassifier}. */
export interface TrainClassifierOptions extends Omit<FitOptions, 'validationData'> {
  /** Adam's initial learning rate (default 2e-3), decayed by a cosine over the epochs. */
  learningRate?: number;
  /** Number of classes (default: max label + 1). */
  classes?: number;
}

function checkImages(model: tf.LayersModel, images: Images, labels: Int32Array): number[] {
  const n = labels.length;
  const want = model.inputs[0].shape.slice(1) as number[];
  const per = want.reduce((a, b) => a * b, 1);
  if (images.x.length !== n * per) {
    throw new DataError(`Model '${model.name}' takes images of ${JSON.stringify(want)} (${per} values each); got ${images.x.length} values for ${n} labels (shape ${JSON.stringify(images.shape)}).`);
  }
  return [n, ...want];
}

/** Compiles `model` as a classifier (Adam, categorical cross-entropy, accuracy) and trains it. */
export async function trainClassifier(model: tf.LayersModel, images: Images, labels: Int32Array, options: TrainClassifierOptions = {}): Promise<FitResult> {
  const { learningRate = 2e-3, classes, callbacks = [], ...fitOptions } = options;
  const shape = checkImages(model, images, labels);
  const k = classes ?? Math.max(...labels) + 1;
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['acc'] });
  const x = tf.tensor(images.x, shape);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), k).toFloat());
  try {
    const epochs = fitOptions.epochs ?? 1;
    return await fit(model, x, y, { ...fitOptions, callbacks: [learningRateScheduler(warmupCosine(epochs, 0, learningRate / 50)), ...callbacks] });
  } finally {
    tf.dispose([x, y]);
  }
}

/** Predicted classes of `images`, computed in chunks of `chunk` images. */
export function predictClasses(model: tf.LayersModel, images: Images, chunk = 500): Int32Array {
  const want = model.inputs[0].shape.slice(1) as number[];
  const per = want.reduce((a, b) => a * b, 1);
  const n = images.x.length / per;
  const out = new Int32Array(n);
  for (let from = 0; from < n; from += chunk) {
    const rows = Math.min(chunk, n - from);
    const classes = tf.tidy(() => {
      const x = tf.tensor(images.x.subarray(from * per, (from + rows) * per), [rows, ...want]);
      return (model.predict(x) as tf.Tensor).argMax(-1);
    });
    out.set(classes.dataSync() as Int32Array, from);
    classes.dispose();
  }
  return out;
}

/** Fraction of `images` classified as `labels`. */
export function accuracy(model: tf.LayersModel, images: Images, labels: Int32Array): number {
  checkImages(model, images, labels);
  const predicted = predictClasses(model, images);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}
