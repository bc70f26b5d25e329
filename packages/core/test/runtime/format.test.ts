import { describe, expect, it } from 'vitest';
import { OnnxFormatError } from '../../src/errors.js';
import { onnxFormatProblem } from '../../src/runtime/format.js';
import * as nodeRt from '../../src/runtime/node.js';
import * as webRt from '../../src/runtime/web.js';
import { classifierModel, writeTemp } from './fixtures.js';

const text = new TextEncoder().encode('hello, this is not a model');

describe('onnxFormatProblem', () => {
  it('accepts a real model, whole or as a head', () => {
    const model = classifierModel();
    expect(onnxFormatProblem(model, true)).toBeNull();
    expect(onnxFormatProblem(model.subarray(0, 20), false)).toBeNull();
  });

  it('rejects text, empty, truncated and graph-less bytes', () => {
    expect(onnxFormatProblem(text, true)).toBe(
      'its first bytes are not a ModelProto field (tag 0x68), so it is not a serialized ONNX model',
    );
    expect(onnxFormatProblem(new Uint8Array(0), true)).toBe('it is empty');
    const model = classifierModel();
    expect(onnxFormatProblem(model.subarray(0, model.length - 3), true)).toMatch(/claims \d+ bytes but only \d+ remain/);
    expect(onnxFormatProblem(Uint8Array.from([0x08, 0x08]), true)).toBe('it has 1 ModelProto field(s) but no graph');
  });
});

describe.each([
  ['node', nodeRt],
  ['web', webRt],
] as const)('%s entry: non-ONNX input gives OnnxFormatError', (_name, rt) => {
  it('for bytes and ArrayBuffer', async () => {
    const msg = `The model buffer (${text.length} bytes) is not an ONNX model: its first bytes are not a ModelProto field (tag 0x68), so it is not a serialized ONNX model`;
    await expect(rt.createSession(text)).rejects.toThrow(new OnnxFormatError(msg));
    await expect(rt.createSession(text.slice().buffer)).rejects.toThrow(new OnnxFormatError(msg));
  });

  it('for a file that is not ONNX, naming the path', async () => {
    const path = writeTemp('notes.onnx', 'garbage text, not protobuf');
    const err = await rt.createSession(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnnxFormatError);
    expect((err as Error).message).toBe(
      `File '${path}' is not an ONNX model: its first bytes are not a ModelProto field (tag 0x67), so it is not a serialized ONNX model`,
    );
  });

  it('for a missing file, naming the path', async () => {
    const err = await rt.createSession('/nonexistent/model.onnx').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnnxFormatError);
    expect((err as Error).message).toMatch(/^Cannot read ONNX model file '\/nonexistent\/model\.onnx': .*ENOENT/);
  });

  it('for well-formed protobuf that onnxruntime still rejects, rethrown typed', async () => {
    // a graph field holding a node with an unknown op: structurally fine, rejected by onnxruntime.
    const model = classifierModel();
    const bad = new Uint8Array(model);
    const at = Buffer.from(bad).indexOf('Softmax');
    bad.set(new TextEncoder().encode('Softmix'), at);
    const err = await rt.createSession(bad, { devices: ['cpu'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OnnxFormatError);
    expect((err as Error).message).toMatch(/^The model buffer \(\d+ bytes\) is not a valid ONNX model for onnxruntime: .*No Op registered for Softmix/);
  });
});
