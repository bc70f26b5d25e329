/**
 * What `neurozoo export --quantize` measures about a quantized model next to its fp32 export:
 * size, the largest output difference from tfjs, accuracy on the test split of the data set
 * `train` used (when report.json names one), and latency per batch in onnxruntime-node.
 */
import { inspectOnnx, type QuantizeMode, tf, verifyOnnx } from '@neurozoo/core';
import { argmax, createSession } from '@neurozoo/core/runtime';
import type { Dataset } from '@neurozoo/datasets';

/** The entry `export --quantize` adds to report.json under `quantized[mode]`. */
export interface QuantizedReport {
  file: string;
  bytes: number;
  fp32Bytes: number;
  /** bytes / fp32Bytes. */
  sizeRatio: number;
  /** max |onnxruntime(quantized) - tfjs| over the outputs, on test samples (or random inputs without a data set). */
  maxAbsErrorVsTfjs: number;
  /** Test-split accuracy of both ONNX models in onnxruntime-node; lossPoints = 100 * (fp32 - quantized). */
  accuracy?: { samples: number; fp32: number; quantized: number; lossPoints: number };
  /** Median milliseconds of one `batch`-row run in onnxruntime-node (cpu). */
  latencyMs: { batch: number; fp32: number; quantized: number };
}

type Session = Awaited<ReturnType<typeof createSession>>;

const round = (v: number, digits: number) => Number(v.toFixed(digits));
const LATENCY_BATCH = 64;
const LATENCY_RUNS = 20;

/** The session's first-output classes for rows `from .. from + rows` of `x`. */
async function classes(session: Session, x: Float32Array, rowShape: number[], from: number, rows: number): Promise<number[]> {
  const size = rowShape.reduce((a, b) => a * b, 1);
  const out = await session.run({ data: x.subarray(from * size, (from + rows) * size), dims: [rows, ...rowShape] });
  const o = out[session.outputs[0].name];
  return Array.from(argmax(o.data as Float32Array, o.dims));
}

async function accuracyOf(session: Session, test: Dataset, rowShape: number[]): Promise<number> {
  const n = test.xShape[0];
  let correct = 0;
  for (let from = 0; from < n; from += 1000) {
    const rows = Math.min(1000, n - from);
    (await classes(session, test.x, rowShape, from, rows)).forEach((c, i) => {
      if (c === test.y[from + i]) correct++;
    });
  }
  return correct / n;
}

async function medianLatency(session: Session, data: Float32Array, dims: number[]): Promise<number> {
  await session.run({ data, dims }); // warm-up
  const times: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const started = performance.now();
    await session.run({ data, dims });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/**
 * Measures `quantized` against `fp32` (both exports of `model`). `test` is the test split for
 * accuracy, used only when it is a float, one-label-per-sample classification set whose rows
 * fit the model's input.
 */
export async function measureQuantized(
  model: tf.LayersModel,
  fp32: Uint8Array,
  quantized: Uint8Array,
  file: string,
  test: Dataset | undefined,
): Promise<QuantizedReport> {
  const input = inspectOnnx(fp32).inputs[0];
  const rowShape = input.dims.slice(1).map((d) => (typeof d === 'number' ? d : Number.NaN));
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const usable = test !== undefined && test.yShape === undefined && input.dtype === 'float32' && test.x.length / test.xShape[0] === rowSize;
  const sample = usable ? Math.min(LATENCY_BATCH, test.xShape[0]) : 0;
  const latencyRows = usable ? sample : LATENCY_BATCH;
  const latencyData = usable
    ? test.x.subarray(0, sample * rowSize)
    : Float32Array.from({ length: LATENCY_BATCH * rowSize }, (_, i) => Math.sin(i));
  // tfjs parity on real test rows where we have them (random normal inputs would leave the data's range).
  const inputs = usable ? tf.tensor(latencyData, [sample, ...rowShape]) : undefined;
  const parity = await verifyOnnx(model, quantized, inputs);
  inputs?.dispose();

  const [a, b] = await Promise.all([createSession(fp32, { devices: ['cpu'] }), createSession(quantized, { devices: ['cpu'] })]);
  try {
    const report: QuantizedReport = {
      file,
      bytes: quantized.length,
      fp32Bytes: fp32.length,
      sizeRatio: round(quantized.length / fp32.length, 4),
      maxAbsErrorVsTfjs: parity.maxAbsError,
      latencyMs: {
        batch: latencyRows,
        fp32: round(await medianLatency(a, latencyData, [latencyRows, ...rowShape]), 3),
        quantized: round(await medianLatency(b, latencyData, [latencyRows, ...rowShape]), 3),
      },
    };
    if (usable) {
      const fp32Accuracy = await accuracyOf(a, test, rowShape);
      const quantizedAccuracy = await accuracyOf(b, test, rowShape);
      report.accuracy = {
        samples: test.xShape[0],
        fp32: fp32Accuracy,
        quantized: quantizedAccuracy,
        lossPoints: round(100 * (fp32Accuracy - quantizedAccuracy), 4),
      };
    }
    return report;
  } finally {
    await Promise.all([a.release(), b.release()]);
  }
}

/** One line for the log. */
export function describeQuantized(mode: QuantizeMode, r: QuantizedReport): string {
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  const accuracy = r.accuracy
    ? `; test accuracy ${pct(r.accuracy.quantized)} vs fp32 ${pct(r.accuracy.fp32)} (${r.accuracy.lossPoints.toFixed(2)} points lost, ${r.accuracy.samples} samples)`
    : '';
  return (
    `${mode}: ${r.bytes} bytes (${pct(r.sizeRatio)} of fp32's ${r.fp32Bytes}), max abs difference from tfjs ${r.maxAbsErrorVsTfjs.toExponential(2)}${accuracy}; ` +
    `onnxruntime-node latency per batch of ${r.latencyMs.batch}: ${r.latencyMs.quantized} ms vs fp32 ${r.latencyMs.fp32} ms`
  );
}
