/**
 * `neurozoo export <dir> --quantize int8|fp16` on real MNIST models (an MLP and the small CNN,
 * trained quickly on a --limit subset) measured on the full 10k MNIST test set in onnxruntime.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectOnnx } from '@neurozoo/core';
import { checkOnnx } from '@neurozoo/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QuantizedReport, TrainReport } from '../src/index.js';
import { cli, tmp } from './helpers.js';

type Report = TrainReport & { quantized: Record<string, QuantizedReport> };

async function trainAndQuantize(arch: string, limit: number, epochs: number) {
  const out = tmp();
  const trained = await cli('train', arch, '--dataset', 'mnist', '--limit', String(limit), '--epochs', String(epochs), '--out', out, '--quiet');
  if (trained.code !== 0) throw new Error(trained.stderr);
  const before = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const logs: string[] = [];
  for (const mode of ['int8', 'fp16']) {
    const r = await cli('export', out, '--quantize', mode);
    if (r.code !== 0) throw new Error(r.stderr);
    logs.push(r.stdout);
  }
  console.log(`${arch}:\n${logs.join('\n')}`);
  return { out, before, report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report, logs };
}

type Run = Awaited<ReturnType<typeof trainAndQuantize>>;

/** Trains and quantizes once for the enclosing describe block; the returned function gives the run. */
function trainedOnce(arch: string, limit: number, epochs: number): () => Run {
  let run: Run | undefined;
  beforeAll(async () => {
    run = await trainAndQuantize(arch, limit, epochs);
  }, 600_000);
  return () => {
    if (!run) throw new Error(`${arch} was not trained`);
    return run;
  };
}

/** The run's report entry for `mode`, checked against its file and the 10k test set, within `maxLossPoints` of fp32 accuracy. */
function quantizedEntry(run: Run, mode: string, maxLossPoints: number): QuantizedReport {
  const q = run.report.quantized[mode];
  expectEntry(q, run.out, mode);
  expect(Math.abs(q.accuracy?.lossPoints ?? Number.NaN)).toBeLessThanOrEqual(maxLossPoints);
  return q;
}

function expectEntry(q: QuantizedReport, out: string, mode: string) {
  expect(q.file).toBe(join(out, `model.${mode}.onnx`));
  expect(q.bytes).toBe(readFileSync(q.file).length);
  expect(q.sizeRatio).toBeCloseTo(q.bytes / q.fp32Bytes, 4);
  expect(q.accuracy?.samples).toBe(10_000);
  expect(q.latencyMs.batch).toBe(64);
  expect(q.latencyMs.fp32).toBeGreaterThan(0);
  expect(q.latencyMs.quantized).toBeGreaterThan(0);
  checkOnnx(new Uint8Array(readFileSync(q.file)));
  // The quantized file carries the metadata train wrote into model.onnx (architecture, input, classes).
  const metadata = inspectOnnx(new Uint8Array(readFileSync(q.file))).metadata;
  expect(metadata).toEqual(inspectOnnx(new Uint8Array(readFileSync(join(out, 'model.onnx')))).metadata);
  expect(metadata['neurozoo.dataset']).toBe('mnist');
}

describe('export --quantize on an MNIST MLP', () => {
  const trained = trainedOnce('mlp', 10_000, 2);

  it('keeps report.json as train wrote it and adds quantized.int8 and quantized.fp16', () => {
    const run = trained();
    const { quantized, ...rest } = run.report;
    expect(rest).toEqual(run.before);
    expect(Object.keys(quantized)).toEqual(['int8', 'fp16']);
  });

  it('int8: <= 30% of the fp32 size, test accuracy within 0.3 points, outputs within 1e-2 of tfjs', () => {
    const run = trained();
    const q = quantizedEntry(run, 'int8', 0.3);
    // Measured: 25.6% of 941,688 bytes, accuracy 92.58% vs 92.55% (-0.03 points), 3.3e-3 from tfjs.
    expect(q.sizeRatio).toBeLessThanOrEqual(0.3);
    expect(q.maxAbsErrorVsTfjs).toBeLessThan(1e-2);
    expect(run.logs[0]).toMatch(/int8: \d+ bytes \(25\.\d\d% of fp32's \d+\)/);
  });

  it('fp16: about half the size, test accuracy within 0.1 points, outputs within 1e-3 of tfjs', () => {
    const run = trained();
    const q = quantizedEntry(run, 'fp16', 0.1);
    // Measured: 50.1%, 92.54% vs 92.55%, 1.2e-4 from tfjs.
    expect(q.sizeRatio).toBeGreaterThan(0.5);
    expect(q.sizeRatio).toBeLessThan(0.51);
    expect(q.maxAbsErrorVsTfjs).toBeLessThan(1e-3);
  });
});

describe('export --quantize on the MNIST CNN', () => {
  const trained = trainedOnce('cnn', 3000, 1);

  it('int8 (ConvInteger + MatMulInteger): <= 30% of the size, accuracy within 0.3 points', () => {
    const run = trained();
    const q = quantizedEntry(run, 'int8', 0.3);
    // Measured: 26.6% of 322,654 bytes (the dense head dominates), 90.25% vs 90.21%.
    expect(q.sizeRatio).toBeLessThanOrEqual(0.3);
    expect(q.maxAbsErrorVsTfjs).toBeLessThan(2e-2);
  });

  it('fp16: about half the size, accuracy within 0.1 points', () => {
    const run = trained();
    const q = quantizedEntry(run, 'fp16', 0.1);
    expect(q.sizeRatio).toBeGreaterThan(0.5);
    expect(q.sizeRatio).toBeLessThan(0.52);
  });
});

describe('export --quantize usage', () => {
  it('an unknown mode lists the valid ones', async () => {
    const r = await cli('export', tmp(), '--quantize', 'int4');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toBe("neurozoo: Unknown quantize mode 'int4'. Valid quantize modes: int8, fp16");
  });
});
