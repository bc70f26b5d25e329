/**
 * The family's architectures for `neurozoo train`: `cnn` (the small modern MNIST net) and
 * `lenet5`. The CLI feeds flattened rows, so these models take [batch, h*w*c] and reshape to
 * NHWC inside (a Reshape layer); the preprocessing goes into the ONNX metadata.
 */
import { type ArchitectureSpec, fitOptionsOf, ShapeError, type TrainedArchitecture, type TrainRequest, type TrainingData, tf } from '@neurozoo/core';
import { type CnnConfig, cnn, lenet5Config, mnistNetConfig, type PresetOptions, validateConfig } from './builders/index.js';
import { PREPROCESSING_KEY, preprocessingFor } from './export.js';
import { inspectCnn } from './inspect.js';
import { accuracy, trainClassifier } from './train.js';

/**
 * [h, w, c] of a data set's images: [n, h, w, c] as loaded, [n, h, w] grayscale, or square
 * grayscale for [n, features].
 * @throws ShapeError for any other sample shape (non-square flat rows, other ranks).
 */
export function imageShape(d: TrainingData): [number, number, number] {
  const s = d.xShape;
  if (s.length === 4) return [s[1], s[2], s[3]];
  if (s.length === 3) return [s[1], s[2], 1];
  const side = Math.round(Math.sqrt(s[1]));
  if (s.length === 2 && side * side === s[1]) return [side, side, 1];
  throw new ShapeError(`The CNN architectures need image data ([n, h, w, c]); '${d.name}' has samples of shape ${JSON.stringify(s.slice(1))}.`);
}

const features = (d: TrainingData) => d.xShape.slice(1).reduce((a, b) => a * b, 1);

function metadataOf(d: TrainingData, arch: string, model: tf.LayersModel): Record<string, string> {
  const [height, width, channels] = imageShape(d);
  const pre = preprocessingFor(model, { preprocessing: { height, width, channels, lightOnDark: true } });
  return {
    'neurozoo.family': 'cnn',
    'neurozoo.arch': arch,
    'neurozoo.dataset': d.name,
    'neurozoo.input': `float32 [batch, ${features(d)}]: ${height}x${width}x${channels} pixels in [0, 1], row-major NHWC, flattened`,
    'neurozoo.classes': JSON.stringify(d.classNames ?? Array.from({ length: d.numClasses }, (_, i) => String(i))),
    [PREPROCESSING_KEY]: JSON.stringify(pre),
  };
}

async function trainArch(name: string, preset: (options: PresetOptions) => CnnConfig, req: TrainRequest, learningRate: number): Promise<TrainedArchitecture> {
  const { train, test, seed } = req;
  const config = preset({ inputShape: imageShape(train), classes: train.numClasses, flatInput: true });
  validateConfig(config);
  const model = cnn(config, seed);
  const n = train.y.length;
  const fitResult = await trainClassifier(model, { x: train.x, shape: [n, features(train)] }, train.y, { ...fitOptionsOf(req), learningRate, classes: train.numClasses });
  const testAccuracy = accuracy(model, { x: test.x, shape: [test.y.length, features(test)] }, test.y);
  const m = Math.min(64, test.y.length);
  return {
    model,
    testMetrics: { accuracy: testAccuracy },
    fit: fitResult,
    sampleInputs: tf.tensor2d(test.x.subarray(0, m * features(test)), [m, features(test)]),
    metadata: metadataOf(train, name, model),
  };
}

/** A `neurozoo train` architecture: `preset` on the data set's image shape, trained by Adam at `learningRate` with cosine decay. */
function presetArchitecture(name: string, description: string, epochs: number, preset: (options: PresetOptions) => CnnConfig, learningRate: number): ArchitectureSpec {
  return {
    name,
    description,
    datasets: ['mnist', 'fashion-mnist'],
    defaults: { epochs, batchSize: 64 },
    train: (req) => trainArch(name, preset, req, learningRate),
    inspect: inspectCnn,
  };
}

/** The small modern MNIST net (see `mnistNetConfig`); its defaults reach >= 99% on MNIST. */
export const cnnArchitecture: ArchitectureSpec = presetArchitecture(
  'cnn',
  'small modern CNN: conv5x5x16-ReLU-maxpool, conv5x5x32-ReLU-maxpool, dropout, dense 128, softmax; Adam + cosine decay',
  6,
  mnistNetConfig,
  2e-3,
);

/** LeNet-5 (tanh, average pooling), as in LeCun et al. 1998 on 28x28 inputs. */
export const lenet5Architecture: ArchitectureSpec = presetArchitecture(
  'lenet5',
  'LeNet-5: conv5x5x6-tanh-avgpool, conv5x5x16-tanh-avgpool, dense 120-84, softmax; Adam + cosine decay',
  5,
  lenet5Config,
  1e-3,
);

/** Every architecture of this family, for the `neurozoo train` command. */
export const architectures: ArchitectureSpec[] = [cnnArchitecture, lenet5Architecture];
