/** decodeOnnx, inspectOnnx, OnnxGraph and the checker, without parity runs. */
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxFormatError, OptionError } from '../../src/errors.js';
import { DEFAULT_OPSET, decodeOnnx, exportOnnx, inspectOnnx, OnnxGraph } from '../../src/onnx/index.js';
import { Rng } from '../../src/random.js';
import { checkOnnx } from '../../src/testing/index.js';
import { tf } from '../../src/tf.js';
import { useWasm } from './helpers.js';

beforeAll(useWasm);

function mlp(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, inputShape: [4], activation: 'relu', name: 'hidden' }),
      tf.layers.dense({ units: 3, activation: 'softmax', name: 'probs' }),
    ],
  });
}

describe('decodeOnnx', () => {
  it('throws OnnxFormatError for JSON bytes', () => {
    const json = new TextEncoder().encode(JSON.stringify({ modelTopology: { class_name: 'Sequential' }, weightsManifest: [] }));
    expect(() => decodeOnnx(json)).toThrow(OnnxFormatError);
    expect(() => decodeOnnx(json)).toThrow(/^\d+ bytes is not an ONNX model: /);
  });

  it('throws OnnxFormatError for random bytes and for empty bytes', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const bytes = Uint8Array.from({ length: 64 + trial * 13 }, () => rng.int(256));
      expect(() => decodeOnnx(bytes)).toThrow(OnnxFormatError);
    }
    expect(() => decodeOnnx(new Uint8Array(0))).toThrow('0 bytes is not an ONNX model: the ModelProto has no ir_version, opset_import, graph.');
  });

  it('decodes an exported model', async () => {
    const model = decodeOnnx(await exportOnnx(mlp()));
    expect(model.producerName).toBe('neurozoo');
    expect(model.graph?.node?.length).toBeGreaterThan(0);
  });
});

describe('inspectOnnx', () => {
  it('reports a known model', async () => {
    const model = mlp();
    const info = inspectOnnx(await exportOnnx(model, { metadata: { task: 'iris' } }));
    expect(info).toEqual({
      irVersion: 8,
      opset: DEFAULT_OPSET,
      producer: 'neurozoo 0.1.0',
      inputs: [{ name: model.inputs[0].sourceLayer.name, dims: ['batch', 4], dtype: 'float32' }],
      outputs: [{ name: 'probs', dims: ['batch', 3], dtype: 'float32' }],
      opHistogram: { MatMul: 2, Add: 2, Relu: 1, Softmax: 1 },
      parameterCount: model.countParams(),
      metadata: { task: 'iris' },
    });
    expect(info.parameterCount).toBe(4 * 8 + 8 + 8 * 3 + 3);
  });

  it('throws OnnxFormatError for non-ONNX bytes', () => {
    expect(() => inspectOnnx(new TextEncoder().encode('{"format": "layers-model"}'))).toThrow(OnnxFormatError);
  });
});

describe('OnnxGraph', () => {
  it('hands out unique names and shares constants and weights', () => {
    const g = new OnnxGraph();
    const x = g.input('x', ['batch', 2]);
    expect(g.uniqueName('x')).toBe('x_1');
    const w = tf.variable(tf.ones([2, 2]), true, 'w/kernel');
    expect(g.initializer(w)).toBe(g.initializer(w));
    const a = g.constantInt64([0, -1]);
    expect(g.constantInt64(BigInt64Array.from([0n, -1n]))).toBe(a);
    expect(g.constantFloat([1])).toBe(g.constantFloat([1]));
    const y1 = g.node('MatMul', [x, g.initializer(w)]);
    const y2 = g.node('MatMul', [x, g.initializer(w)]);
    expect(y1).not.toBe(y2);
    const [h, c] = g.node('Split', [y1], { axis: 1 }, { outputs: 2 });
    expect(h).not.toBe(c);
    expect(g.initializers.length).toBe(3);
    w.dispose();
  });

  it('writes float attributes only when asked, and rejects non-integer plain numbers', () => {
    const g = new OnnxGraph();
    const x = g.input('x', ['batch', 2]);
    expect(() => g.node('LeakyRelu', [x], { alpha: 0.1 })).toThrow(OptionError);
    const y = g.node('LeakyRelu', [x], { alpha: { float: 0.1 } });
    g.output(y, ['batch', 2]);
    checkOnnx(g.toBytes());
    const proto = g.toModelProto({ producerVersion: '1.2.3', metadata: { k: 'v' } });
    expect(proto.irVersion).toBe(8);
    expect(proto.opsetImport).toEqual([{ domain: '', version: 17 }]);
    expect(proto.metadataProps).toEqual([{ key: 'k', value: 'v' }]);
    expect(proto.graph?.node?.[0].attribute?.[0]).toMatchObject({ name: 'alpha', type: 1 });
  });
});

describe('checkOnnx', () => {
  it('passes an exported model and rejects a broken graph', async () => {
    checkOnnx(await exportOnnx(mlp()));
    const g = new OnnxGraph();
    g.input('x', ['batch', 2]);
    g.output(g.node('Relu', ['missing']), ['batch', 2]);
    expect(() => checkOnnx(g.toBytes())).toThrow(/ONNX checker rejected the model/);
  });

  it('says how to install the checker when python3 is missing', async () => {
    const bytes = await exportOnnx(mlp());
    expect(() => checkOnnx(bytes, { python: '/nonexistent/python3' })).toThrow('apt-get install -y python3-onnx');
  });
});
