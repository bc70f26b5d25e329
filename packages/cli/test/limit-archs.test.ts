/**
 * The CLI architectures no family test trains (lenet5, deep-autoencoder, dbn), trained through
 * `neurozoo train --limit` on an MNIST slice: a quality bar from a measured run, and the
 * onnxruntime check exactly as the CLI reports it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist } from '@neurozoo/datasets';
import { describe, expect, it } from 'vitest';
import type { TrainReport } from '../src/index.js';
import { cli, tmp } from './helpers.js';

/** Runs `neurozoo train <arch> --limit <n>` and returns its report.json and stdout. */
async function trainLimited(arch: string, limit: number, epochs: number) {
  const out = tmp(`nz-cli-${arch}-`);
  const r = await cli('train', arch, '--limit', String(limit), '--epochs', String(epochs), '--out', out, '--quiet');
  if (r.code !== 0) throw new Error(r.stderr);
  const report: TrainReport = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  console.log(arch, JSON.stringify(report.metrics), JSON.stringify(report.parity), `${report.trainSeconds}s`);
  expect(report).toMatchObject({ arch, dataset: 'mnist', limit, epochs, onnx: { opset: 17 } });
  return { report, stdout: r.stdout };
}

describe('neurozoo train --limit: the architectures no family test trains', () => {
  it('lenet5', async () => {
    const { report, stdout } = await trainLimited('lenet5', 2000, 3);
    const { test, onnxruntime } = report.metrics;
    expect(test.accuracy).toBeGreaterThan(0.75); // measured 0.819 (2000 images, 3 epochs); chance is 0.1
    expect(onnxruntime).toEqual({ accuracy: test.accuracy, agreementWithTfjs: 1, provider: 'cpu' });
    expect(report.parity.maxAbsError).toBeLessThan(1e-4);
    expect(stdout).toContain('onnxruntime (cpu): accuracy');
  }, 300_000); // 10-40 s alone on 2 cores; generous for a busy machine

  it('deep-autoencoder', async () => {
    const { report } = await trainLimited('deep-autoencoder', 2000, 5);
    const { test } = report.metrics;
    const onnxruntime = report.metrics.onnxruntime as Record<string, number | string>;
    // Baseline: every test image reconstructed as the mean training image (SSE 50.85 on these slices).
    const { train, test: testImages } = loadMnist();
    const mean = new Float64Array(784);
    for (let i = 0; i < 2000 * 784; i++) mean[i % 784] += train.x[i] / 2000;
    let meanImageSse = 0;
    for (let i = 0; i < 2000 * 784; i++) meanImageSse += (testImages.x[i] - mean[i % 784]) ** 2;
    meanImageSse /= 2000;
    expect(test.sse).toBeLessThan(0.95 * meanImageSse); // measured 45.63 (0.90 of the baseline) after 5 epochs of 2000 images
    expect(onnxruntime.sse as number).toBeCloseTo(test.sse, 3);
    expect(onnxruntime.maxAbsErrorVsTfjs as number).toBeLessThan(1e-4);
    expect(onnxruntime.provider).toBe('cpu');
    expect(report.parity.maxAbsError).toBeLessThan(1e-4);
  }, 300_000); // 10-40 s alone on 2 cores; generous for a busy machine

  it('dbn', async () => {
    const { report } = await trainLimited('dbn', 1000, 3);
    const { test, onnxruntime } = report.metrics;
    // measured 0.249 (1000 images, 3 CD-1 epochs per layer, 3 fine-tuning epochs); chance is 0.1
    expect(test.accuracy).toBeGreaterThan(0.2);
    expect(test.pretrainSeconds).toBeGreaterThan(0);
    expect(onnxruntime).toEqual({ accuracy: test.accuracy, agreementWithTfjs: 1, provider: 'cpu' });
    expect(report.parity.maxAbsError).toBeLessThan(1e-4);
  }, 300_000); // 10-40 s alone on 2 cores; generous for a busy machine
});
