/** The `rbm` and `dbn` architectures of `neurozoo train` (see core's ArchitectureSpec). */
import { type ArchitectureSpec, fitOptionsOf, type TrainedArchitecture, type TrainingData, tf } from '@neurozoo/core';
import { rbmClassifier } from './classifier.js';
import { accuracy, DBN, fineTune } from './dbn.js';
import { inspectRbm } from './inspect.js';
import { RBM } from './rbm.js';
import { formatLog } from './train.js';

const features = (d: TrainingData) => d.xShape.slice(1).reduce((a, b) => a * b, 1);
const metadataOf = (d: TrainingData, arch: string, extra: Record<string, string>): Record<string, string> => ({
  'neurozoo.family': 'rbm-dbn',
  'neurozoo.arch': arch,
  'neurozoo.dataset': d.name,
  'neurozoo.input': `float32 [batch, ${features(d)}], pixels in [0, 1] flattened ${JSON.stringify(d.xShape.slice(1))} as loaded by @neurozoo/datasets`,
  'neurozoo.classes': JSON.stringify(d.classNames ?? Array.from({ length: d.numClasses }, (_, i) => String(i))),
  ...extra,
});
const sample = (d: TrainingData, max = 64) => {
  const n = Math.min(max, d.y.length);
  return tf.tensor2d(d.x.subarray(0, n * features(d)), [n, features(d)]);
};
const isVerbose = (v: boolean | 'auto') => v === true || (v === 'auto' && Boolean(process.stderr.isTTY) && !process.env.CI);
const log = (verbose: boolean, line: string) => verbose && process.stderr.write(`${line}\n`);

/** RBM 784-500 (CD-1) features + logistic regression, exported as one Dense(sigmoid)+softmax model. */
export const rbmArchitecture: ArchitectureSpec = {
  name: 'rbm',
  description: 'Bernoulli RBM (500 hidden, CD-1, momentum, weight decay) features + logistic regression head',
  datasets: ['mnist', 'fashion-mnist'],
  defaults: { epochs: 20, batchSize: 100 },
  async train({ train, test, epochs, batchSize, seed, verbose }): Promise<TrainedArchitecture> {
    const v = isVerbose(verbose);
    const rbm = new RBM({ visible: features(train), hidden: 500, seed });
    const rbmFit = await rbm.fit(train.x, { epochs, batchSize, learningRate: 0.05, seed, validation: test.x, onEpoch: (l) => log(v, `rbm ${formatLog(l)}`) });
    const { model, fit } = await rbmClassifier(rbm, train.x, train.y, train.numClasses, { seed, verbose });
    rbm.dispose();
    const last = rbmFit.history[rbmFit.history.length - 1];
    return {
      model,
      testMetrics: { accuracy: accuracy(model, test.x, test.y), reconstructionError: last?.reconstructionError ?? Number.NaN, freeEnergyGap: last?.freeEnergyGap ?? Number.NaN },
      fit: { ...fit, trainSeconds: fit.trainSeconds + rbmFit.trainSeconds, samplesPerSecond: rbmFit.samplesPerSecond },
      sampleInputs: sample(test),
      metadata: metadataOf(train, 'rbm', { 'neurozoo.rbm': `784-500 CD-1, ${epochs} epochs; logistic regression 30 epochs` }),
    };
  },
  inspect: inspectRbm,
};

/** DBN 784-500-500-2000 pretrained greedily (CD-1), then fine-tuned with a softmax head by backprop. */
export const dbnArchitecture: ArchitectureSpec = {
  name: 'dbn',
  description: 'deep belief net 500-500-2000: greedy CD-1 pretraining (`epochs` per layer), then backprop fine-tuning (`epochs`) with a softmax head',
  datasets: ['mnist', 'fashion-mnist'],
  defaults: { epochs: 10, batchSize: 100 },
  async train(request): Promise<TrainedArchitecture> {
    const { train, test, epochs, batchSize, seed, verbose } = request;
    const v = isVerbose(verbose);
    const dbn = new DBN({ sizes: [features(train), 500, 500, 2000], seed });
    const t0 = performance.now();
    await dbn.pretrain(train.x, {
      epochs, batchSize, learningRate: 0.05, seed, validation: test.x,
      onEpoch: (l) => log(v, `pretrain ${formatLog(l)}`), onLayer: (i) => log(v, `pretrained layer ${i + 1}`),
    });
    const pretrainSeconds = (performance.now() - t0) / 1000;
    const model = dbn.classifier(train.numClasses, seed);
    dbn.dispose();
    const fit = await fineTune(model, train.x, train.y, train.numClasses, fitOptionsOf(request));
    return {
      model,
      testMetrics: { accuracy: accuracy(model, test.x, test.y), pretrainSeconds },
      fit: { ...fit, trainSeconds: fit.trainSeconds + pretrainSeconds },
      sampleInputs: sample(test),
      metadata: metadataOf(train, 'dbn', { 'neurozoo.dbn': `${features(train)}-500-500-2000-${train.numClasses}, ${epochs} CD-1 epochs per layer, ${epochs} fine-tuning epochs` }),
    };
  },
  inspect: inspectRbm,
};

/** Every architecture of this family, for the `neurozoo train` command. */
export const architectures: ArchitectureSpec[] = [rbmArchitecture, dbnArchitecture];
