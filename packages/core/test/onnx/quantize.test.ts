/**
 * quantizeOnnx and exportOnnx({ quantize }): the rewritten graphs pass the ONNX checker, run in
 * onnxruntime-node (cpu) and onnxruntime-web (wasm, in Node) close to the fp32 model, and bad
 * input gets typed errors with exact messages. MNIST accuracy is measured in the CLI's tests.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NotQuantizableError, OptionError } from '../../src/errors.js';
import { checkQuantizeMode, exportOnnx, inspectOnnx, OnnxGraph, QUANTIZE_MODES, quantizeOnnx, toFloat16Bits } from '../../src/onnx/index.js';
import * as nodeRt from '../../src/runtime/node.js';
import * as webRt from '../../src/runtime/web.js';
import { checkOnnx, randomizeWeights } from '../../src/testing/index.js';
import { tf } from '../../src/tf.js';
import { useWasm } from './helpers.js';

beforeAll(useWasm);

/** Seeded values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  });
}

async function runOnnx(rt: typeof nodeRt | typeof webRt, bytes: Uint8Array, data: Float32Array, dims: number[]): Promise<Float32Array> {
  const session = await rt.createSession(bytes, { devices: [rt === nodeRt ? 'cpu' : 'wasm'] });
  const out = await session.run({ data, dims });
  await session.release();
  return out[session.outputs[0].name].data as Float32Array;
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const maxOf = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

function mlp(): tf.LayersModel {
  const model = tf.sequential({
    name: 'mlp',
    layers: [
      tf.layers.dense({ units: 128, inputShape: [196], activation: 'relu', name: 'hidden' }),
      tf.layers.dense({ units: 10, activation: 'softmax', name: 'probs' }),
    ],
  });
  randomizeWeights(model, 3);
  return model;
}

/** A graph with a grouped 3x3 Conv (bias) and a 1x1 Conv (no bias), built directly. */
function convGraph(): Uint8Array {
  const g = new OnnxGraph(17, 'convs');
  const x = g.input('x', ['batch', 4, 9, 9]);
  g.scope = 'conv_a';
  const a = g.node('Conv', [x, g.initializer(values(8 * 2 * 9, 1), [8, 2, 3, 3], 'wa'), g.initializer(values(8, 2), [8], 'ba')], {
    kernel_shape: [3, 3],
    pads: [1, 1, 1, 1],
    group: 2,
  });
  g.scope = 'conv_b';
  const b = g.node('Conv', [g.node('Relu', [a]), g.initializer(values(5 * 8, 3), [5, 8, 1, 1], 'wb')], { kernel_shape: [1, 1], strides: [2, 2] });
  g.output(g.renameValue(b, 'y') as string, ['batch', 5, 5, 5]);
  return g.toBytes();
}

/** The MNIST-sized MLP exported as float32 and quantized by `mode` (checked by onnx's checker). */
async function exportMlp(mode: 'int8' | 'fp16') {
  const model = mlp();
  const fp32 = await exportOnnx(model);
  const quantized = await exportOnnx(model, { quantize: mode });
  checkOnnx(quantized);
  return { model, fp32, quantized };
}

describe("quantizeOnnx 'int8'", () => {
  it('rewrites Dense MatMuls to DynamicQuantizeLinear -> MatMulInteger, ~4x smaller, close to tfjs in onnxruntime cpu and wasm', async () => {
    const { model, fp32, quantized: int8 } = await exportMlp('int8');
    const ops = inspectOnnx(int8).opHistogram;
    expect(ops).toMatchObject({ DynamicQuantizeLinear: 2, MatMulInteger: 2, Cast: 2, Mul: 4, Add: 2, Relu: 1, Softmax: 1 });
    expect(ops.MatMul).toBeUndefined();
    // Only biases and scales stay float: 128 + 10 biases, 128 + 10 column scales.
    expect(inspectOnnx(int8).parameterCount).toBe(276);
    expect(int8.length / fp32.length).toBeLessThan(0.3);

    const x = values(8 * 196, 9);
    const reference = tf.tidy(() => (model.predict(tf.tensor2d(x, [8, 196])) as tf.Tensor).dataSync());
    const cpu = await runOnnx(nodeRt, int8, x, [8, 196]);
    const wasm = await runOnnx(webRt, int8, x, [8, 196]);
    console.log(`int8 MLP: ${int8.length} / ${fp32.length} bytes, max abs error of probabilities vs tfjs ${maxAbs(cpu, reference).toExponential(2)}`);
    expect(maxAbs(cpu, reference)).toBeLessThan(5e-3); // measured 1.3e-3
    expect(maxAbs(wasm, cpu)).toBeLessThan(1e-5);
  });

  it('a Dense layer called twice keeps one quantized weight', async () => {
    const x1 = tf.input({ shape: [6], name: 'x1' });
    const x2 = tf.input({ shape: [6], name: 'x2' });
    const shared = tf.layers.dense({ units: 4, name: 'shared' });
    const out = tf.layers.add({ name: 'sum' }).apply([shared.apply(x1), shared.apply(x2)] as tf.SymbolicTensor[]) as tf.SymbolicTensor;
    const bytes = await exportOnnx(tf.model({ inputs: [x1, x2], outputs: out }), { quantize: 'int8' });
    checkOnnx(bytes);
    const ops = inspectOnnx(bytes).opHistogram;
    expect([ops.MatMulInteger, ops.DynamicQuantizeLinear]).toEqual([2, 2]);
    // One bias [4] and one scale vector [4].
    expect(inspectOnnx(bytes).parameterCount).toBe(8);
  });

  it('rewrites Conv (grouped, with and without bias) to ConvInteger that onnxruntime cpu and wasm run', async () => {
    const fp32 = convGraph();
    const int8 = quantizeOnnx(fp32, { mode: 'int8' });
    checkOnnx(int8);
    expect(inspectOnnx(int8).opHistogram).toEqual({ DynamicQuantizeLinear: 2, ConvInteger: 2, Cast: 2, Mul: 4, Add: 1, Relu: 1 });
    const x = values(2 * 4 * 81, 5);
    const dims = [2, 4, 9, 9];
    const reference = await runOnnx(nodeRt, fp32, x, dims);
    const cpu = await runOnnx(nodeRt, int8, x, dims);
    const wasm = await runOnnx(webRt, int8, x, dims);
    console.log(`int8 Conv: max abs error vs fp32 ${(maxAbs(cpu, reference) / maxOf(reference)).toExponential(2)} of the output range`);
    expect(maxAbs(cpu, reference) / maxOf(reference)).toBeLessThan(0.02); // measured 5e-3
    expect(maxAbs(wasm, cpu)).toBeLessThan(1e-5);
  });
});

describe("quantizeOnnx 'fp16'", () => {
  it('stores large weights as float16 behind a Cast: half the size, outputs within float16 rounding', async () => {
    const { model, fp32, quantized: fp16 } = await exportMlp('fp16');
    // The two kernels (196x128, 128x10) have >= 256 elements; the biases stay float32.
    expect(inspectOnnx(fp16).opHistogram).toMatchObject({ Cast: 2, MatMul: 2, Add: 2 });
    const ratio = fp16.length / fp32.length;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(0.56);
    const x = values(8 * 196, 4);
    const reference = tf.tidy(() => (model.predict(tf.tensor2d(x, [8, 196])) as tf.Tensor).dataSync());
    const cpu = await runOnnx(nodeRt, fp16, x, [8, 196]);
    console.log(`fp16 MLP: ${fp16.length} / ${fp32.length} bytes, max abs error vs tfjs ${maxAbs(cpu, reference).toExponential(2)}`);
    expect(maxAbs(cpu, reference)).toBeLessThan(2e-4); // measured 4.7e-5
    expect(maxAbs(await runOnnx(webRt, fp16, x, [8, 196]), reference)).toBeLessThan(2e-4);
  });

  it('minElements chooses which initializers are converted', () => {
    const bytes = convGraph(); // weights of 144, 8 and 40 elements
    expect(inspectOnnx(quantizeOnnx(bytes, { mode: 'fp16', minElements: 8 })).opHistogram.Cast).toBe(3);
    expect(inspectOnnx(quantizeOnnx(bytes, { mode: 'fp16', minElements: 40 })).opHistogram.Cast).toBe(2);
    expect(inspectOnnx(quantizeOnnx(bytes, { mode: 'fp16', minElements: 144 })).opHistogram.Cast).toBe(1);
  });

  it('toFloat16Bits rounds to nearest even and handles the edges', () => {
    const cases: Array<[number, number]> = [
      [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [0.1, 0x2e66], [65504, 0x7bff], [65520, 0x7c00],
      [1e6, 0x7c00], [-Infinity, 0xfc00], [2 ** -24, 0x0001], [2 ** -14, 0x0400], [2 ** -26, 0x0000],
      [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02],
    ];
    expect(cases.map(([v]) => toFloat16Bits(v))).toEqual(cases.map(([, h]) => h));
    expect(toFloat16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(toFloat16Bits(Number.NaN) & 0x3ff).not.toBe(0);
  });
});

describe('bad input', () => {
  it('an unknown mode is an OptionError naming the modes', async () => {
    const message = `quantize must be one of 'int8', 'fp16', got "int4".`;
    await expect(exportOnnx(mlp(), { quantize: 'int4' as 'int8' })).rejects.toThrow(new OptionError(message));
    expect(() => quantizeOnnx(convGraph(), { mode: 'int4' as 'int8' })).toThrow(message);
    expect(() => quantizeOnnx(convGraph(), { mode: 'fp16', minElements: 0 })).toThrow(new OptionError('minElements must be a positive integer, got 0.'));
  });

  it('a model without MatMul/Conv weights is a NotQuantizableError naming its layers and their ops', async () => {
    const model = tf.sequential({
      name: 'no_weights',
      layers: [tf.layers.activation({ activation: 'relu', inputShape: [4, 3], name: 'act' }), tf.layers.flatten({ name: 'flat' }), tf.layers.softmax({ name: 'soft' })],
    });
    const attempt = exportOnnx(model, { quantize: 'int8' });
    await expect(attempt).rejects.toBeInstanceOf(NotQuantizableError);
    await expect(attempt).rejects.toThrow(
      "Cannot quantize model 'no_weights' to int8: it has no MatMul with a constant 2-D float weight and no Conv with a constant float kernel. " +
        'Layers found: act (Relu), flat (Reshape), soft (Softmax).',
    );
  });

  it('fp16 with no initializer of minElements is a NotQuantizableError too', async () => {
    const model = tf.sequential({ name: 'tiny', layers: [tf.layers.dense({ units: 2, inputShape: [3], name: 'small' })] });
    await expect(exportOnnx(model, { quantize: 'fp16' })).rejects.toThrow(
      new NotQuantizableError('fp16', 'tiny', 'it has no float initializer of 256 or more elements', new Map([['small', ['MatMul', 'Add']]])),
    );
    await expect(exportOnnx(model, { quantize: 'fp16' })).rejects.toThrow(
      "Cannot quantize model 'tiny' to fp16: it has no float initializer of 256 or more elements. Layers found: small (MatMul, Add).",
    );
  });
});

describe('QUANTIZE_MODES / checkQuantizeMode', () => {
  it('accepts exactly the listed modes and names them when rejecting another', () => {
    expect(QUANTIZE_MODES).toEqual(['int8', 'fp16']);
    for (const mode of QUANTIZE_MODES) expect(() => checkQuantizeMode(mode)).not.toThrow();
    expect(() => checkQuantizeMode('int4')).toThrow(new OptionError(`quantize must be one of 'int8', 'fp16', got "int4".`));
    expect(() => checkQuantizeMode(undefined)).toThrow(new OptionError(`quantize must be one of 'int8', 'fp16', got undefined.`));
  });
});
