import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { onnx } from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { BackendError, OptionError } from '../../src/errors.js';
import * as nodeRt from '../../src/runtime/node.js';
import * as webRt from '../../src/runtime/web.js';
import { classifierModel, classifierReference, writeTemp } from './fixtures.js';

const x = Float32Array.from([0.1, 0.2, 0.3, 0.4, -1, 0.5, 2, -0.25, 0, 0, 0, 0]);
const batch = 3;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tol);
}

describe.each([
  ['node', nodeRt, 'cpu'],
  ['web', webRt, 'wasm'],
] as const)('%s entry', (_name, rt, provider) => {
  it(`runs the classifier on '${provider}' and matches the float64 reference`, async () => {
    const session = await rt.createSession(classifierModel());
    expect(session.provider).toBe(provider);
    expect(session.inputs).toEqual([{ name: 'x', dims: ['batch', 4], dtype: 'float32' }]);
    expect(session.outputs).toEqual([{ name: 'probs', dims: ['batch', 3], dtype: 'float32' }]);
    const { probs } = await session.run({ data: x, dims: [batch, 4] });
    expect(probs.dims).toEqual([batch, 3]);
    expect(probs.type).toBe('float32');
    expect(probs.data).toBeInstanceOf(Float32Array);
    expectClose(probs.data as Float32Array, classifierReference(x, batch));
    await session.release();
  });

  it('loads from a path, a file: URL, a Uint8Array and an ArrayBuffer with equal outputs', async () => {
    const bytes = classifierModel();
    const path = writeTemp('classifier.onnx', bytes);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const results: Float32Array[] = [];
    for (const model of [path, pathToFileURL(path), bytes, buffer]) {
      const session = await rt.createSession(model);
      const out = await session.run({ x: { data: x, dims: [batch, 4] } });
      results.push(out.probs.data as Float32Array);
      await session.release();
    }
    for (const r of results.slice(1)) expect(Array.from(r)).toEqual(Array.from(results[0]));
  });

  it('accepts a plain number[] and converts it to the input dtype', async () => {
    const session = await rt.createSession(classifierModel());
    const { probs } = await session.run({ data: Array.from(x), dims: [batch, 4] });
    expectClose(probs.data as Float32Array, classifierReference(x, batch));
  });

  it('throws BackendError after release', async () => {
    const session = await rt.createSession(classifierModel());
    await session.release();
    await expect(session.run({ data: x, dims: [batch, 4] })).rejects.toThrow(
      new BackendError('This session was released; create a new one with createSession()'),
    );
  });

  it('rejects unknown devices and an empty list with OptionError', async () => {
    await expect(rt.createSession(classifierModel(), { devices: [] })).rejects.toThrow(OptionError);
    await expect(rt.createSession(classifierModel(), { devices: ['tpu' as 'cpu'] })).rejects.toThrow(
      "Unknown device 'tpu': valid devices are 'cuda', 'webgpu', 'wasm', 'cpu'",
    );
  });
});

describe('both entries', () => {
  it('give equal outputs for the same model and input', async () => {
    const model = classifierModel();
    const [a, b] = await Promise.all([nodeRt.createSession(model), webRt.createSession(model)]);
    const [oa, ob] = await Promise.all([a.run({ data: x, dims: [3, 4] }), b.run({ data: x, dims: [3, 4] })]);
    expectClose(oa.probs.data as Float32Array, ob.probs.data as Float32Array, 1e-6);
    expect(nodeRt.argmax(oa.probs.data as Float32Array, oa.probs.dims)).toEqual(webRt.argmax(ob.probs.data as Float32Array, ob.probs.dims));
  });
});

describe('device fallback', () => {
  it("node: ['cuda', 'cpu'] records why cuda failed, with the install hint, and runs on cpu", async () => {
    const session = await nodeRt.createSession(classifierModel(), { devices: ['cuda', 'cpu'] });
    expect(session.provider).toBe('cpu');
    expect(session.fallbacks).toHaveLength(1);
    expect(session.fallbacks[0].device).toBe('cuda');
    expect(session.fallbacks[0].reason).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12');
    expect(session.fallbacks[0].reason).toContain(nodeRt.CUDA_INSTALL_HINT);
  });

  it("node: 'wasm' runs on onnxruntime-web, with cpu's outputs", async () => {
    const model = classifierModel();
    const [wasm, cpu] = await Promise.all([
      nodeRt.createSession(model, { devices: ['wasm', 'cpu'] }),
      nodeRt.createSession(model, { devices: ['cpu'] }),
    ]);
    expect([wasm.provider, cpu.provider]).toEqual(['wasm', 'cpu']);
    expect(wasm.fallbacks).toEqual([]);
    const [a, b] = await Promise.all([wasm.run({ data: x, dims: [3, 4] }), cpu.run({ data: x, dims: [3, 4] })]);
    expectClose(a.probs.data as Float32Array, b.probs.data as Float32Array, 1e-6);
  });

  it('node: only cuda gives BackendError listing the reason', async () => {
    const err = await nodeRt.createSession(classifierModel(), { devices: ['cuda'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(/^No device could run the model buffer \(\d+ bytes\)\. Tried cuda: /);
    expect((err as Error).message).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12');
  });

  it('web: default devices fall back from webgpu to wasm; cuda is skipped; cpu maps to wasm', async () => {
    const session = await webRt.createSession(classifierModel());
    expect(session.provider).toBe('wasm');
    expect(session.fallbacks.map((f) => f.device)).toEqual(['webgpu']);
    expect(session.fallbacks[0].reason).toMatch(/^WebGPU is not available here/);
    const s2 = await webRt.createSession(classifierModel(), { devices: ['cuda', 'cpu'] });
    expect(s2.provider).toBe('wasm');
    expect(s2.fallbacks).toEqual([
      { device: 'cuda', reason: "CUDA needs onnxruntime-node (the Node entry of @neurozoo/core/runtime); here use 'webgpu' or 'wasm'" },
    ]);
  });
});

describe('web bundle', () => {
  const lstm = onnx.ModelProto.encode({ irVersion: 8, graph: { node: [{ opType: 'MatMul' }, { opType: 'LSTM' }] } }).finish();

  it('reads the op types and picks onnxruntime-web/webgpu for recurrent models on webgpu', () => {
    expect([...webRt.onnxOpTypes(lstm)]).toEqual(['MatMul', 'LSTM']);
    expect(webRt.pickBundle('auto', lstm, ['webgpu', 'wasm'])).toBe('webgpu');
    expect(webRt.pickBundle('auto', lstm, ['wasm'])).toBe('default');
    expect(webRt.pickBundle('auto', classifierModel(), ['webgpu', 'wasm'])).toBe('default');
    expect(webRt.pickBundle('default', lstm, ['webgpu'])).toBe('default');
  });

  it('rejects an unknown bundle', async () => {
    await expect(webRt.createSession(classifierModel(), { bundle: 'webgl' as never })).rejects.toThrow(
      new OptionError("Unknown bundle 'webgl': valid bundles are 'auto', 'default', 'webgpu'"),
    );
  });
});

describe('fixtures', () => {
  it('write a readable model file', () => {
    const path = writeTemp('m.onnx', classifierModel());
    expect(readFileSync(path).length).toBe(classifierModel().length);
  });
});

describe('node webgpu', () => {
  it("tries onnxruntime-node's bundled WebGPU EP and falls back to cpu when no adapter exists", async () => {
    const session = await nodeRt.createSession(classifierModel(), { devices: ['webgpu', 'cpu'] });
    if (session.provider === 'webgpu') return; // a machine with a usable adapter
    expect(session.provider).toBe('cpu');
    expect(session.fallbacks.map((f) => f.device)).toEqual(['webgpu']);
    expect(session.fallbacks[0].reason.length).toBeGreaterThan(0);
  });
});
