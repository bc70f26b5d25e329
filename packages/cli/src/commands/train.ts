import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_OPSET, exportOnnx, initBackend, saveModel, tf, verifyOnnx, writeFileAtomic } from '@neurozoo/core';
import { OnnxClassifier } from '@neurozoo/core/runtime';
import { loadDataset, take } from '@neurozoo/datasets';
import { choice, intOption, type OptionSpecs, parse } from '../args.js';
import { UsageError } from '../errors.js';
import { architectureNames, architectures } from '../registry.js';

export const trainOptions: OptionSpecs = {
  dataset: { type: 'string', description: 'data set to train on (default: the architecture\'s first)' },
  epochs: { type: 'string', description: 'training epochs (default: the architecture\'s)' },
  'batch-size': { type: 'string', description: 'samples per step (default: the architecture\'s)' },
  seed: { type: 'string', description: 'seed of weights, shuffling and dropout (default 0)' },
  backend: { type: 'string', description: 'tfjs backend: native (C++ kernels; the default where built), wasm (the fallback) or cpu' },
  out: { type: 'string', description: 'output folder (default out/<arch>-<dataset>)' },
  limit: { type: 'string', description: 'use only the first N samples of each split (quick runs and smoke tests; default: all)' },
  resume: { type: 'boolean', description: 'continue from the last checkpoint in <out>/checkpoints' },
  quiet: { type: 'boolean', description: 'no progress bar' },
};

/** The report `train` writes to report.json. */
export interface TrainReport {
  arch: string;
  dataset: string;
  /** `--limit`: samples used of each split, when not all. */
  limit?: number;
  seed: number;
  epochs: number;
  batchSize: number;
  backend: string;
  trainSeconds: number;
  samplesPerSecond: number;
  /** onnxruntime metrics: a classifier's accuracy and agreement with tfjs, or the architecture's own (`evaluateOnnx`). */
  metrics: { test: Record<string, number>; onnxruntime: { accuracy: number; agreementWithTfjs: number; provider: string } | Record<string, number | string> };
  parity: { maxAbsError: number; maxRelError: number };
  onnx: { opset: number; bytes: number };
  files: { onnx: string; tfjs: string; report: string; extra?: string[] };
}

/** `neurozoo train <arch>`: train, export to ONNX, verify in onnxruntime, write the report. */
export async function train(argv: string[], log: (line: string) => void): Promise<TrainReport> {
  const { values, positionals } = parse('train', argv, trainOptions, ['arch']);
  if (positionals.length === 0) throw new UsageError(`train needs an architecture: ${architectureNames().join(', ')}`);
  const arch = architectures[architectureNames().indexOf(choice('architecture', positionals[0], architectureNames()))];
  const dataset = choice('dataset', (values.dataset as string | undefined) ?? arch.datasets[0], arch.datasets);
  const requested = values.backend === undefined ? undefined : choice('backend', values.backend as string, ['wasm', 'native', 'cpu'] as const);
  const epochs = intOption('epochs', values.epochs, arch.defaults.epochs);
  const batchSize = intOption('batch-size', values['batch-size'], arch.defaults.batchSize);
  const seed = intOption('seed', values.seed, 0, 0);
  const out = resolve((values.out as string | undefined) ?? join('out', `${arch.name}-${dataset}`));
  const limit = values.limit === undefined ? undefined : intOption('limit', values.limit, 0);

  // Default: native where the addon is built, else wasm (initBackend prints why).
  const backend = await initBackend(requested === undefined ? { notice: log } : { backend: requested });
  const full = await loadDataset(dataset);
  const cut = (d: typeof full.train) => (limit === undefined ? d : take(d, Math.min(limit, d.xShape[0])));
  const trainSplit = cut(full.train);
  const test = cut(full.test);
  log(`Training ${arch.name} on ${dataset} (${trainSplit.xShape[0]} samples${limit === undefined ? '' : `, --limit ${limit}`}, ${epochs} epochs, batch ${batchSize}, ${backend} backend)`);
  mkdirSync(out, { recursive: true });
  const started = performance.now();
  const trained = await arch.train({
    train: trainSplit, test, epochs, batchSize, seed,
    verbose: values.quiet ? false : 'auto',
    checkpointDir: join(out, 'checkpoints'),
    resume: Boolean(values.resume),
  });
  const trainSeconds = trained.fit?.trainSeconds ?? (performance.now() - started) / 1000;
  const samplesPerSecond = trained.fit?.samplesPerSecond ?? (trainSplit.xShape[0] * epochs) / trainSeconds;

  const bytes = await exportOnnx(trained.model, { metadata: trained.metadata });
  const parity = await verifyOnnx(trained.model, bytes, trained.sampleInputs);
  const onnxruntime = trained.evaluateOnnx
    ? await trained.evaluateOnnx(bytes)
    : await evaluateInOnnxruntime(bytes, trained.model, test.x, test.xShape, test.y);
  tf.dispose(trained.sampleInputs);

  const files: TrainReport['files'] = { onnx: join(out, 'model.onnx'), tfjs: join(out, 'tfjs'), report: join(out, 'report.json') };
  await writeFileAtomic(files.onnx, bytes);
  for (const [name, data] of Object.entries(trained.files ?? {})) {
    await writeFileAtomic(join(out, name), data);
    (files.extra ??= []).push(join(out, name));
  }
  await saveModel(trained.model, files.tfjs);
  const report: TrainReport = {
    arch: arch.name, dataset, ...(limit === undefined ? {} : { limit }), seed, epochs, batchSize, backend,
    trainSeconds: round(trainSeconds, 2), samplesPerSecond: Math.round(samplesPerSecond),
    metrics: { test: trained.testMetrics, onnxruntime },
    parity: { maxAbsError: parity.maxAbsError, maxRelError: parity.maxRelError },
    onnx: { opset: DEFAULT_OPSET, bytes: bytes.length },
    files,
  };
  await writeFileAtomic(files.report, `${JSON.stringify(report, null, 2)}\n`);
  log(summary(report));
  return report;
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));

/** Runs the exported model on the whole test split with onnxruntime-node and compares classes with tfjs. */
async function evaluateInOnnxruntime(bytes: Uint8Array, model: tf.LayersModel, x: Float32Array, xShape: number[], y: Int32Array) {
  const classifier = await OnnxClassifier.load(bytes, { devices: ['cpu'] });
  const n = xShape[0];
  const features = x.length / n;
  let correct = 0;
  let agree = 0;
  const chunk = 1000;
  for (let from = 0; from < n; from += chunk) {
    const rows = Math.min(chunk, n - from);
    const data = x.subarray(from * features, (from + rows) * features);
    const { classes } = await classifier.classify(data, rows);
    const predicted = tf.tidy(() => (model.predict(tf.tensor2d(data, [rows, features])) as tf.Tensor).argMax(-1));
    const tfClasses = predicted.dataSync();
    predicted.dispose();
    for (let i = 0; i < rows; i++) {
      if (classes[i] === y[from + i]) correct++;
      if (classes[i] === tfClasses[i]) agree++;
    }
  }
  const provider = classifier.provider;
  await classifier.release();
  return { accuracy: correct / n, agreementWithTfjs: agree / n, provider };
}

function summary(r: TrainReport): string {
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  const value = (k: string, v: number) => (/accuracy$|agreement|^per$|^wer$/i.test(k) ? pct(v) : Number.isInteger(v) ? String(v) : v.toFixed(4));
  const test = Object.entries(r.metrics.test).map(([k, v]) => `${k} ${value(k, v)}`).join(', ');
  const ort = r.metrics.onnxruntime;
  // The CLI's own classifier check has exactly these keys; an architecture's evaluateOnnx may name others.
  const isClassifierCheck = Object.keys(ort).sort().join() === 'accuracy,agreementWithTfjs,provider';
  const ortLine = isClassifierCheck
    ? `  onnxruntime (${ort.provider}): accuracy ${pct(ort.accuracy as number)}, same class as tfjs on ${pct(ort.agreementWithTfjs as number)} of test samples`
    : `  onnxruntime: ${Object.entries(ort).map(([k, v]) => `${k} ${typeof v === 'number' ? value(k, v) : v}`).join(', ')}`;
  return [
    `${r.arch} on ${r.dataset}: ${test} (tfjs, test split)`,
    ortLine,
    `  parity: max abs error ${r.parity.maxAbsError.toExponential(2)}, max rel error ${r.parity.maxRelError.toExponential(2)}`,
    `  trained in ${r.trainSeconds.toFixed(1)} s (${r.samplesPerSecond} samples/s on ${r.backend}); ONNX opset ${r.onnx.opset}, ${r.onnx.bytes} bytes`,
    `  wrote ${[r.files.onnx, `${r.files.tfjs}/`, ...(r.files.extra ?? []), r.files.report].join(', ')}`,
  ].join('\n');
}
