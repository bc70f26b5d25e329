/**
 * pipeline(): the task registry, model files, device preference with fallback reasons, and the
 * typed errors, on a small MLP trained here with core's fit and exported with its metadata.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendError, OnnxFormatError, OptionError, ShapeError, TaskError } from '../../src/errors.js';
import { exportOnnx } from '../../src/onnx/export.js';
import { ModelFiles } from '../../src/runtime/model-files.js';
import * as nodeRt from '../../src/runtime/node.js';
import { fit } from '../../src/train/fit.js';
import { tf } from '../../src/tf.js';
import { blobs, smallModel, useWasm } from '../helpers.js';

/** Writes `data` to `name` in this file's temporary folder and returns its path. */
const folder = mkdtempSync(join(tmpdir(), 'nz-pipeline-'));
function writeTemp(name: string, data: Uint8Array | string): string {
  const path = join(folder, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, data);
  return path;
}

const { pipeline, registerTask, registeredTasks, rowClassifierHandler, readMetadataProps } = nodeRt;

let bytes: Uint8Array;
let plain: Uint8Array;
let x: Float32Array;
let expected: Float32Array;
let accuracy: number;

beforeAll(async () => {
  await useWasm();
  const model = smallModel(3, 8);
  const train = blobs(256, 8, 1);
  await fit(model, train.x, train.y, { epochs: 20, batchSize: 32, seed: 1, verbose: false });
  const held = blobs(64, 8, 2);
  x = held.x.dataSync() as Float32Array;
  expected = tf.tidy(() => (model.predict(held.x) as tf.Tensor).dataSync() as Float32Array);
  const labels = held.y.argMax(-1).dataSync();
  accuracy = labels.filter((c, i) => (expected[2 * i + 1] > expected[2 * i] ? 1 : 0) === c).length / labels.length;
  bytes = await exportOnnx(model, { metadata: { 'neurozoo.family': 'perceptron', 'neurozoo.arch': 'mlp', 'neurozoo.classes': '["no","yes"]' } });
  plain = await exportOnnx(model);
  tf.dispose([train.x, train.y, held.x, held.y]);
  model.dispose();
  registerTask(rowClassifierHandler('perceptron', nodeRt.createSession));
});

describe("pipeline('classify', ...) over a registered row classifier", () => {
  it('gives each row the class, label and probabilities tfjs computes', async () => {
    expect(accuracy).toBeGreaterThan(0.9); // the blobs are separable: measured 1.0 after 20 epochs
    const classify = await pipeline('classify', bytes, { device: 'cpu' });
    expect([classify.task, classify.family, classify.handler, classify.device]).toEqual(['classify', 'perceptron', 'OnnxClassifier', 'cpu']);
    expect(classify.fallbacks).toEqual([]);
    expect(classify.metadata['neurozoo.arch']).toBe('mlp');
    const rows = await classify(x);
    expect(rows).toHaveLength(64);
    rows.forEach((r, i) => {
      const want = expected[2 * i + 1] > expected[2 * i] ? 1 : 0;
      expect(r.classId).toBe(want);
      expect(r.label).toBe(['no', 'yes'][want]);
      expect(Math.abs(r.probability - expected[2 * i + want])).toBeLessThan(1e-5);
      expect(Math.abs(r.probabilities[0] - expected[2 * i])).toBeLessThan(1e-5);
    });
    // One array per row classifies the same.
    const split = await classify([x.slice(0, 8), x.slice(8, 16)]);
    expect(split.map((r) => r.classId)).toEqual(rows.slice(0, 2).map((r) => r.classId));
    await expect(classify(x.subarray(0, 12))).rejects.toThrow(new ShapeError('Expected rows of 8 features, got 12 values'));
    await classify.dispose();
    await classify.dispose(); // twice is harmless
    await expect(classify(x)).rejects.toThrow(new BackendError("This 'classify' pipeline was disposed; open a new one with pipeline()"));
  });

  it("prefers 'cuda', records why it was skipped, and runs on 'cpu'", async () => {
    const classify = await pipeline('classify', bytes, { device: ['cuda', 'cpu'] });
    expect(classify.device).toBe('cpu');
    expect(classify.fallbacks).toHaveLength(1);
    expect(classify.fallbacks[0].device).toBe('cuda');
    expect(classify.fallbacks[0].reason).toContain('ONNXRUNTIME_NODE_INSTALL=cuda12'); // no CUDA provider on this machine
    expect((await classify(x.subarray(0, 8)))[0].classId).toBe(expected[1] > expected[0] ? 1 : 0);
    await classify.dispose();
  });

  it('opens a folder by its model.onnx, a path, and bytes with options.family when the metadata names none', async () => {
    const dir = join(writeTemp('mlp-folder/model.onnx', bytes), '..');
    for (const model of [dir, `${dir}/`, join(dir, 'model.onnx')]) {
      const classify = await pipeline('classify', model, { device: 'cpu' });
      expect((await classify(x.subarray(0, 8)))[0].label).toBe(expected[1] > expected[0] ? 'yes' : 'no');
      await classify.dispose();
    }
    const classify = await pipeline('classify', plain, { device: 'cpu', family: 'perceptron' });
    const [first] = await classify(x.subarray(0, 8));
    expect(first.label).toBe(String(first.classId)); // no neurozoo.classes: the id as text
    await classify.dispose();
  });

  it('registers each handler once per task, family and name', () => {
    registerTask(rowClassifierHandler('perceptron', nodeRt.createSession));
    registerTask(rowClassifierHandler('rbm-dbn', nodeRt.createSession));
    expect(registeredTasks()).toEqual({ classify: ['perceptron', 'rbm-dbn'] });
  });
});

describe('pipeline errors', () => {
  it('an unknown task names the registered ones, before reading the model', async () => {
    const error = await pipeline('summarize' as 'classify', '/no/such/model.onnx').catch((e: unknown) => e);
    expect(error).toEqual(
      new TaskError(
        'summarize',
        "Unknown task 'summarize': the imported runtimes register 'classify'. Import the runtime of the model's family (e.g. '@neurozoo/rnn/runtime') to register its tasks.",
      ),
    );
    expect(error).toBeInstanceOf(OptionError);
    expect((error as TaskError).task).toBe('summarize');
  });

  it('a model without family metadata, of a family not loaded, or that no handler of its family accepts', async () => {
    await expect(pipeline('classify', plain)).rejects.toThrow(
      new TaskError(
        'classify',
        `Cannot run task 'classify' on the model buffer (${plain.length} bytes) (family unknown): its metadata has no 'neurozoo.family'. Export it with neurozoo, or pass options.family (one of 'perceptron', 'rbm-dbn').`,
      ),
    );
    const cnn = writeTemp('lenet5.onnx', await withMetadata({ 'neurozoo.family': 'cnn', 'neurozoo.arch': 'lenet5' }));
    await expect(pipeline('classify', cnn)).rejects.toThrow(
      new TaskError(
        'classify',
        `Cannot run task 'classify' on file '${cnn}' (family 'cnn', architecture 'lenet5'): no runtime of family 'cnn' is loaded. Import '@neurozoo/cnn/runtime' to register its tasks.`,
      ),
    );
    const regressor = await withMetadata({ 'neurozoo.family': 'perceptron', 'neurozoo.task': 'regression' });
    await expect(pipeline('classify', regressor)).rejects.toThrow(
      new TaskError(
        'classify',
        `Cannot run task 'classify' on the model buffer (${regressor.length} bytes) (family 'perceptron'): '@neurozoo/perceptron/runtime' runs none of its tasks on this model.`,
      ),
    );
  });

  it('a misspelt option is an OptionError listing the valid ones', async () => {
    await expect(pipeline('classify', bytes, { devices: ['cpu'] } as never)).rejects.toThrow(
      new OptionError('Unknown pipeline option(s): devices. Valid options: device, files, family, logLevel, sessionOptions, bundle'),
    );
  });

  it('a file that is not ONNX is an OnnxFormatError naming it', async () => {
    const path = writeTemp('notes.onnx', new TextEncoder().encode('just some notes'));
    await expect(pipeline('classify', path)).rejects.toThrow(OnnxFormatError);
    await expect(pipeline('classify', path)).rejects.toThrow(`File '${path}' is not an ONNX model:`);
    await expect(pipeline('classify', '/no/such/dir/model.onnx')).rejects.toThrow(/^Cannot read file '\/no\/such\/dir\/model.onnx': ENOENT/);
  });
});

describe('ModelFiles', () => {
  it('finds companion files beside a path, takes them from files, and says how to give them for bytes', async () => {
    const path = writeTemp('main.onnx', bytes);
    writeTemp('vocab.json', new TextEncoder().encode('{"words":["a"]}'));
    const beside = await ModelFiles.open(path);
    expect(await beside.json('vocab.json')).toEqual({ words: ['a'] });
    expect(beside.subject).toBe(`file '${path}'`);
    expect(beside.metadata['neurozoo.family']).toBe('perceptron');
    const given = await ModelFiles.open(bytes, { 'vocab.json': new TextEncoder().encode('{"words":["b"]}'), 'encoder.onnx': plain });
    expect(await given.json('vocab.json')).toEqual({ words: ['b'] });
    expect(await given.graph('encoder', 'encoder.onnx')).toBe(plain);
    const encoder = await ModelFiles.open(await withMetadata({ 'neurozoo.part': 'encoder' }));
    expect(await encoder.graph('encoder', 'encoder.onnx')).toBe(encoder.bytes);
    await expect(encoder.file('vocab.json')).rejects.toThrow(
      new OptionError(`This model needs 'vocab.json' beside the model buffer (${encoder.bytes.length} bytes), which came as bytes: pass it as options.files['vocab.json']`),
    );
    writeTemp('broken.json', new TextEncoder().encode('{'));
    await expect(beside.json('broken.json')).rejects.toThrow(OnnxFormatError);
  });

  it('readMetadataProps reads the metadata and rejects cut bytes with OnnxFormatError', () => {
    expect(readMetadataProps(bytes)).toEqual({ 'neurozoo.family': 'perceptron', 'neurozoo.arch': 'mlp', 'neurozoo.classes': '["no","yes"]' });
    expect(readMetadataProps(plain)).toEqual({});
    expect(() => readMetadataProps(bytes.subarray(0, bytes.length - 3))).toThrow(OnnxFormatError);
  });
});

/** The MLP's graph with other metadata. */
async function withMetadata(metadata: Record<string, string>): Promise<Uint8Array> {
  const model = smallModel(3, 8);
  try {
    return await exportOnnx(model, { metadata });
  } finally {
    model.dispose();
  }
}
