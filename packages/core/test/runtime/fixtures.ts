/**
 * Tiny ONNX models for the runtime tests, written with onnx-proto (tests only: the runtime
 * itself never imports a protobuf library or tfjs).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';

const F32 = onnx.TensorProto.DataType.FLOAT;

type Dim = number | string;

function valueInfo(name: string, dims: Dim[], elemType = F32): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function floatInit(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  return { name, dims, dataType: F32, floatData: values };
}

function encode(graph: onnx.IGraphProto): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'neurozoo-test',
    opsetImport: [{ domain: '', version: 17 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Weights of the classifier model: W [4, 3] row-major and b [3]. */
export const W = [0.5, -0.25, 0.1, -0.3, 0.8, 0.2, 0.05, 0.4, -0.6, 0.7, -0.1, 0.3];
export const B = [0.1, -0.2, 0.05];

/** softmax(x @ W + b): input `x` [batch, 4] float32, output `probs` [batch, 3]. */
export function classifierModel(): Uint8Array {
  return encode({
    name: 'classifier',
    node: [
      { opType: 'MatMul', input: ['x', 'W'], output: ['xw'], name: 'matmul' },
      { opType: 'Add', input: ['xw', 'b'], output: ['logits'], name: 'add' },
      {
        opType: 'Softmax',
        input: ['logits'],
        output: ['probs'],
        name: 'softmax',
        attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }],
      },
    ],
    initializer: [floatInit('W', [4, 3], W), floatInit('b', [3], B)],
    input: [valueInfo('x', ['batch', 4])],
    output: [valueInfo('probs', ['batch', 3])],
  });
}

/** a + b with two inputs: `a` [batch, 2, 3] and `b` [batch, 2, 3]; output `sum`. */
export function twoInputModel(): Uint8Array {
  return encode({
    name: 'two-inputs',
    node: [{ opType: 'Add', input: ['a', 'b'], output: ['sum'], name: 'add' }],
    input: [valueInfo('a', ['batch', 2, 3]), valueInfo('b', ['batch', 2, 3])],
    output: [valueInfo('sum', ['batch', 2, 3])],
  });
}

/** The reference output of {@link classifierModel}, computed in float64. */
export function classifierReference(x: ArrayLike<number>, batch: number): Float64Array {
  const out = new Float64Array(batch * 3);
  for (let n = 0; n < batch; n++) {
    const logits = [0, 1, 2].map((j) => {
      let s = B[j];
      for (let k = 0; k < 4; k++) s += x[n * 4 + k] * W[k * 3 + j];
      return s;
    });
    const m = Math.max(...logits);
    const e = logits.map((v) => Math.exp(v - m));
    const z = e.reduce((a, v) => a + v, 0);
    for (let j = 0; j < 3; j++) out[n * 3 + j] = e[j] / z;
  }
  return out;
}

/** Writes `bytes` into a fresh temporary directory and returns the file's path. */
export function writeTemp(name: string, bytes: Uint8Array | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'neurozoo-runtime-'));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}
