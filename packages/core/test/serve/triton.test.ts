import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OptionError } from '../../src/errors.js';
import { exportOnnx } from '../../src/onnx/export.js';
import { inspectOnnx, type OnnxSummary } from '../../src/onnx/inspect.js';
import { TRITON_TYPES, tritonConfig, writeTritonRepository } from '../../src/serve/triton.js';
import { smallModel, useWasm } from '../helpers.js';
import { twoInputModel } from '../runtime/fixtures.js';
import { fixedBatchModel } from './helpers.js';

type Pb = { [key: string]: Array<string | number | Pb> };

/**
 * A tiny protobuf text-format parser, enough for config.pbtxt: `key: scalar`, `key: [ list ]`,
 * `key { message }`, `key [ { message }, ... ]` and # comments. Every key maps to a list of values.
 */
export function parsePbtxt(text: string): Pb {
  const tokens = text.replace(/#[^\n]*/g, '').match(/"(?:[^"\\]|\\.)*"|[{}[\]:,]|[^\s{}[\]:,]+/g) ?? [];
  let i = 0;
  const scalar = (t: string): string | number => (t.startsWith('"') ? JSON.parse(t) : /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t);
  const value = (): Array<string | number | Pb> => {
    if (tokens[i] === '{') {
      i++;
      return [message('}')];
    }
    if (tokens[i] !== '[') return [scalar(tokens[i++])];
    i++;
    const items: Array<string | number | Pb> = [];
    while (tokens[i] !== ']') {
      if (tokens[i] === ',') i++;
      else items.push(...value());
    }
    i++;
    return items;
  };
  const message = (end?: string): Pb => {
    const out: Pb = {};
    while (i < tokens.length && tokens[i] !== end) {
      const key = tokens[i++];
      if (tokens[i] === ':') i++;
      out[key] = [...(out[key] ?? []), ...value()];
    }
    i++;
    return out;
  };
  return message();
}

/** Checks a parsed config against the ONNX signature, as Triton would read it. */
function checkAgainst(pb: Pb, info: OnnxSummary, maxBatch: number, kind: string): void {
  const batched = [...info.inputs, ...info.outputs].every((v) => typeof v.dims[0] === 'string');
  expect(pb.backend).toEqual(['onnxruntime']);
  expect(pb.max_batch_size).toEqual([batched ? maxBatch : 0]);
  for (const [key, values] of [['input', info.inputs], ['output', info.outputs]] as const) {
    const declared = pb[key] as Pb[];
    expect(declared.map((d) => d.name[0])).toEqual(values.map((v) => v.name));
    declared.forEach((d, k) => {
      expect(d.data_type).toEqual([TRITON_TYPES[values[k].dtype]]);
      const dims = (batched ? values[k].dims.slice(1) : values[k].dims).map((x) => (typeof x === 'number' ? x : -1));
      expect(d.dims).toEqual(dims);
    });
  }
  if (batched) expect(pb.dynamic_batching).toEqual([{ max_queue_delay_microseconds: [2000] }]);
  else expect(pb.dynamic_batching).toBeUndefined();
  expect(pb.instance_group).toEqual([{ count: [1], kind: [kind] }]);
}

describe('Triton model repository', () => {
  let mlp: Uint8Array;
  beforeAll(async () => {
    await useWasm();
    mlp = await exportOnnx(smallModel(1, 8), { metadata: { family: 'perceptron' } });
  });

  it('the parser reads nested messages, lists and comments', () => {
    expect(parsePbtxt('# c\nname: "m" a { b: [ 1, -2 ] c [ { d: X } ] }')).toEqual({ name: ['m'], a: [{ b: [1, -2], c: [{ d: ['X'] }] }] });
  });

  it.each([
    ['an exported tfjs MLP', () => mlp, 16],
    ['a two-input 3-D model', () => twoInputModel(), 8],
    ['a fixed-batch model (max_batch_size 0, full dims)', () => fixedBatchModel(), 8],
  ])('%s: config.pbtxt (KIND_GPU) and configs/cpu.pbtxt (KIND_CPU) match inspectOnnx', async (_what, model, maxBatch) => {
    const bytes = model();
    const dir = mkdtempSync(join(tmpdir(), 'nz-triton-'));
    const repo = await writeTritonRepository(dir, bytes, { name: 'zoo_model', maxBatch });
    expect(repo.modelDir).toBe(join(dir, 'zoo_model'));
    expect(readFileSync(join(dir, 'zoo_model', '1', 'model.onnx')).equals(Buffer.from(bytes))).toBe(true);
    const info = inspectOnnx(bytes);
    const gpu = parsePbtxt(readFileSync(join(dir, 'zoo_model', 'config.pbtxt'), 'utf8'));
    const cpu = parsePbtxt(readFileSync(join(dir, 'zoo_model', 'configs', 'cpu.pbtxt'), 'utf8'));
    expect(gpu.name).toEqual(['zoo_model']);
    checkAgainst(gpu, info, maxBatch, 'KIND_GPU');
    checkAgainst(cpu, info, maxBatch, 'KIND_CPU');
    expect(repo.batched).toBe(gpu.max_batch_size[0] !== 0);
  });

  it('writes the MLP as [ 8 ] -> [ 2 ] FP32 with max_batch_size 16', async () => {
    const pb = parsePbtxt(tritonConfig(inspectOnnx(mlp), { name: 'mlp', maxBatch: 16 }));
    expect((pb.input[0] as Pb).dims).toEqual([8]);
    expect((pb.input[0] as Pb).data_type).toEqual(['TYPE_FP32']);
    expect((pb.output[0] as Pb).dims).toEqual([2]);
    expect(pb.max_batch_size).toEqual([16]);
  });

  it('maps dtypes, symbolic inner dims to -1, and a [batch] tensor to dims [1] with an empty reshape', () => {
    const summary = {
      opset: 17,
      inputs: [{ name: 'ids', dims: ['batch', 'seq'], dtype: 'int64' }, { name: 'flag', dims: ['batch'], dtype: 'bool' }],
      outputs: [{ name: 'score', dims: ['batch', 3], dtype: 'float16' }],
    };
    const pb = parsePbtxt(tritonConfig(summary, { name: 't', maxBatch: 4, maxQueueDelayUs: 100, instances: 2, kind: 'KIND_CPU' }));
    expect(pb.input).toEqual([
      { name: ['ids'], data_type: ['TYPE_INT64'], dims: [-1] },
      { name: ['flag'], data_type: ['TYPE_BOOL'], dims: [1], reshape: [{ shape: [] }] },
    ]);
    expect(pb.output).toEqual([{ name: ['score'], data_type: ['TYPE_FP16'], dims: [3] }]);
    expect(pb.dynamic_batching).toEqual([{ max_queue_delay_microseconds: [100] }]);
    expect(pb.instance_group).toEqual([{ count: [2], kind: ['KIND_CPU'] }]);
  });

  it('rejects a model name that is not a folder name, and bad numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nz-triton-'));
    await expect(writeTritonRepository(dir, mlp, { name: '../evil' })).rejects.toThrow(OptionError);
    expect(existsSync(join(dir, '..', 'evil'))).toBe(false);
    expect(() => tritonConfig(inspectOnnx(mlp), { name: 'm', maxBatch: 0 })).toThrow('maxBatch must be an integer >= 1, got 0');
  });
});
