import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, loadModel, tf } from '@neurozoo/core';
import { argmax, createSession } from '@neurozoo/core/runtime';
import { createSession as createWebSession } from '@neurozoo/core/runtime/web';
import { loadMnist } from '@neurozoo/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainReport } from '../src/index.js';
import { cli, tmp } from './helpers.js';

/** Classes of the whole MNIST test split through one runtime's session. */
async function classesOf(session: Awaited<ReturnType<typeof createSession>>, x: Float32Array, n: number) {
  const classes: number[] = [];
  for (let from = 0; from < n; from += 2000) {
    const rows = Math.min(2000, n - from);
    const out = await session.run({ data: x.subarray(from * 784, (from + rows) * 784), dims: [rows, 784] });
    const o = out[session.outputs[0].name];
    classes.push(...argmax(o.data as Float32Array, o.dims));
  }
  return classes;
}

describe('neurozoo train mlp --dataset mnist (defaults): the main job', () => {
  const out = tmp();
  let report: TrainReport;
  let code: number;
  beforeAll(async () => {
    const r = await cli('train', 'mlp', '--dataset', 'mnist', '--out', out, '--quiet');
    code = r.code;
    if (code !== 0) throw new Error(r.stderr);
    report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  }, 900_000);

  it('reaches >= 98.0% on the 10k MNIST test set, with parity <= 1e-4', () => {
    expect(code).toBe(0);
    expect(report.metrics.test.accuracy).toBeGreaterThanOrEqual(0.98);
    expect(report.metrics.onnxruntime.accuracy).toBeGreaterThanOrEqual(0.98);
    expect(report.metrics.onnxruntime.agreementWithTfjs).toBeGreaterThanOrEqual(0.9999);
    expect(report.parity.maxAbsError).toBeLessThanOrEqual(1e-4);
    // The default backend: native where the addon is built (CI builds it), else wasm.
    expect(report).toMatchObject({ arch: 'mlp', dataset: 'mnist', seed: 0, epochs: 12, onnx: { opset: 17 } });
    expect(['native', 'wasm']).toContain(report.backend);
    if (process.env.CI) expect(report.backend).toBe('native');
    expect(report.samplesPerSecond).toBeGreaterThan(0);
    expect(report.onnx.bytes).toBe(readFileSync(join(out, 'model.onnx')).length);
    expect(existsSync(join(out, 'tfjs', 'model.json'))).toBe(true);
  });

  it('predicts the same classes in onnxruntime-node (cpu) and onnxruntime-web (wasm, in Node)', async () => {
    const bytes = new Uint8Array(readFileSync(join(out, 'model.onnx')));
    const { test } = loadMnist();
    const node = await createSession(bytes, { devices: ['cpu'] });
    const web = await createWebSession(bytes, { devices: ['wasm'] });
    expect([node.provider, web.provider]).toEqual(['cpu', 'wasm']);
    const n = test.y.length;
    expect(await classesOf(web, test.x, n)).toEqual(await classesOf(node, test.x, n));
    await Promise.all([node.release(), web.release()]);
  });

  it('info, run and export work on what train wrote', async () => {
    const info = await cli('info', join(out, 'model.onnx'), '--json');
    expect(info.code).toBe(0);
    const summary = JSON.parse(info.stdout);
    await initBackend();
    const model = await loadModel(join(out, 'tfjs'));
    expect(summary.parameterCount).toBe(model.countParams());
    expect(summary.inputs[0].dims).toEqual(['batch', 784]);
    expect(summary.metadata['neurozoo.arch']).toBe('mlp');

    for (const ep of ['cpu', 'wasm']) {
      const r = await cli('run', join(out, 'model.onnx'), '--ep', ep, '--repeat', '3');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^provider ${ep}, median latency [0-9.]+ ms over 3 runs$`, 'm'));
    }

    const reexported = join(out, 're.onnx');
    const r = await cli('export', join(out, 'tfjs'), '--out', reexported);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/parity max abs error/);
    const session = await createSession(reexported);
    const x = new Float32Array(784).fill(0.5);
    const ort = await session.run({ data: x, dims: [1, 784] });
    const tfjs = tf.tidy(() => (model.predict(tf.tensor2d(x, [1, 784])) as tf.Tensor).dataSync());
    const got = ort[session.outputs[0].name].data as Float32Array;
    got.forEach((v, i) => expect(Math.abs(v - tfjs[i])).toBeLessThan(1e-4));
  });
});

describe('neurozoo train perceptron', () => {
  it('trains the Rosenblatt perceptron on Iris and writes the same artefacts', async () => {
    const out = tmp();
    const r = await cli('train', 'perceptron', '--dataset', 'iris', '--epochs', '50', '--out', out, '--quiet');
    expect(r.code).toBe(0);
    const report: TrainReport = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.metrics.test.accuracy).toBeGreaterThan(0.8);
    expect(report.metrics.onnxruntime.agreementWithTfjs).toBe(1);
    // Perceptron scores are unnormalised sums (tens to hundreds), so compare relative error.
    expect(report.parity.maxRelError).toBeLessThanOrEqual(1e-5);
    expect(r.stdout).toContain('perceptron on iris');
  });
});
