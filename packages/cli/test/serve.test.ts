import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportOnnx, inspectOnnx, initBackend, saveModel, tf, withSeedSync } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tmp } from './helpers.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** A seeded 6 -> 5 -> 3 softmax MLP saved as a tfjs folder `<dir>/<name>/tfjs`. */
async function tfjsModel(name: string) {
  await initBackend();
  const model = withSeedSync(1, () =>
    tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 5, activation: 'relu' }), tf.layers.dense({ units: 3, activation: 'softmax' })] }),
  );
  const dir = join(tmp(), name, 'tfjs');
  await saveModel(model, dir);
  return { model, dir };
}

describe('neurozoo serve', () => {
  let modelPath: string;
  beforeAll(async () => {
    const { model } = await tfjsModel('m');
    modelPath = join(tmp(), 'model.onnx');
    writeFileSync(modelPath, await exportOnnx(model));
  });

  it.each([
    [['serve'], 2, 'neurozoo: serve needs a model.onnx path'],
    [['serve', 'm.onnx', '--ep', 'tpu'], 2, "neurozoo: Unknown execution provider 'tpu'. Valid execution providers: cuda, cpu"],
    [['serve', 'm.onnx', '--max-batch', '0'], 2, "neurozoo: --max-batch expects an integer >= 1, got '0'"],
    [['serve', 'm.onnx', '--port', '70000'], 2, "neurozoo: --port expects an integer in [0, 65535], got '70000'"],
    [['serve', '/nonexistent/m.onnx'], 1, "neurozoo: Cannot read /nonexistent/m.onnx: ENOENT: no such file or directory, open '/nonexistent/m.onnx'"],
  ])('%j exits %i', async (argv, code, stderr) => {
    const r = await cli(...argv);
    expect(r.code).toBe(code);
    expect(r.stderr).toBe(stderr);
  });

  it('--ep cuda alone exits 1 and says how to install the CUDA provider (no CUDA libraries here)', async () => {
    const r = await cli('serve', modelPath, '--ep', 'cuda', '--port', '0');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^neurozoo: No device could run .* Tried cuda: /);
    expect(r.stderr).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12');
  });

  it('the real binary serves /health, /metadata, /infer; falls back from cuda to cpu; stops cleanly on SIGTERM', async () => {
    const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', modelPath, '--port', '0', '--max-batch', '8', '--max-wait-ms', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout?.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no 'serving' line: ${stdout}`)), 60_000);
        child.stdout?.on('data', () => {
          const m = /at (http:\/\/127\.0\.0\.1:\d+) on (\w+)/.exec(stdout);
          if (m && stdout.includes('Ctrl-C stops')) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      expect(stdout).toMatch(/on cpu; cuda not used: .*ONNXRUNTIME_NODE_INSTALL=cuda12/);
      expect(stdout).toContain('batching up to 8 rows, wait 1 ms');
      expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ status: 'ok', provider: 'cpu' });
      const meta = await (await fetch(`${url}/metadata`)).json();
      expect(meta).toMatchObject({ provider: 'cpu', opset: 17, batching: { enabled: true, maxBatch: 8, maxWaitMs: 1 } });
      expect(meta.fallbacks[0].device).toBe('cuda');
      const [input] = meta.inputs;
      const res = await fetch(`${url}/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ inputs: { [input.name]: { data: [1, 2, 3, 4, 5, 6], dims: [1, 6] } } }),
      });
      expect(res.status).toBe(200);
      const body = await res.json();
      const out = Object.values(body.outputs)[0] as { data: number[]; dims: number[] };
      expect(out.dims).toEqual([1, 3]);
      expect(out.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const bad = await fetch(`${url}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"inputs":' });
      expect(bad.status).toBe(400);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stdout).toContain('SIGTERM: shutting down');
  });
});

describe('neurozoo export --triton', () => {
  it('writes <DIR>/<name>/{1/model.onnx, config.pbtxt, configs/cpu.pbtxt} matching the ONNX signature', async () => {
    const { dir } = await tfjsModel('digits-mlp');
    const repo = tmp();
    const r = await cli('export', dir, '--triton', repo, '--max-batch', '16');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote Triton model repository ${join(repo, 'digits-mlp')}`);
    expect(r.stdout).toContain('max_batch_size 16, dynamic batching');
    const info = inspectOnnx(new Uint8Array(readFileSync(join(repo, 'digits-mlp', '1', 'model.onnx'))));
    const config = readFileSync(join(repo, 'digits-mlp', 'config.pbtxt'), 'utf8');
    expect(config).toContain('name: "digits-mlp"');
    expect(config).toContain('max_batch_size: 16');
    expect(config).toContain(`name: ${JSON.stringify(info.inputs[0].name)}\n    data_type: TYPE_FP32\n    dims: [ 6 ]`);
    expect(config).toContain(`name: ${JSON.stringify(info.outputs[0].name)}\n    data_type: TYPE_FP32\n    dims: [ 3 ]`);
    expect(config).toContain('kind: KIND_GPU');
    expect(readFileSync(join(repo, 'digits-mlp', 'configs', 'cpu.pbtxt'), 'utf8')).toContain('kind: KIND_CPU');
  });

  it('--max-batch without --triton is a usage error', async () => {
    const r = await cli('export', 'some-dir', '--max-batch', '4');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('neurozoo: --max-batch needs --triton DIR');
  });
});
