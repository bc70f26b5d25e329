/** A family's custom layers become exportable through registerConverter. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx, getConverter, inspectOnnx, type LayerConverter, registerConverter, registerConverters, supportedLayerClasses } from '../../src/onnx/index.js';
import { tf } from '../../src/tf.js';
import { parity, report, useWasm } from './helpers.js';

beforeAll(useWasm);
afterAll(() => report('registry'));

/** y = x * scale (a trainable vector), like a family's custom layer. */
class Scale extends tf.layers.Layer {
  static className = 'NzTestScale';
  scale!: tf.LayerVariable;
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape;
    this.scale = this.addWeight('scale', [shape[shape.length - 1] as number], 'float32', tf.initializers.ones());
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.mul(x, this.scale.read());
  }
}
tf.serialization.registerClass(Scale);

/** Two outputs: [x + 1, x * x]. */
class TwoHeads extends tf.layers.Layer {
  static className = 'NzTestTwoHeads';
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape[] {
    return [inputShape as tf.Shape, inputShape as tf.Shape];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return [tf.add(x, 1), tf.mul(x, x)];
  }
}
tf.serialization.registerClass(TwoHeads);

describe('registerConverter', () => {
  it('exports a custom layer once its converter is registered', async () => {
    const x = tf.input({ shape: [4] });
    const layer = new Scale({});
    const model = tf.model({ inputs: x, outputs: layer.apply(tf.layers.dense({ units: 4 }).apply(x)) as tf.SymbolicTensor });
    await expect(exportOnnx(model)).rejects.toThrow(/class NzTestScale/);

    registerConverter('NzTestScale', (l, ctx) => ctx.node('Mul', [ctx.inputs[0], ctx.weight((l as Scale).scale)]));
    expect(supportedLayerClasses()).toContain('NzTestScale');
    expect(getConverter('NzTestScale')).toBeTypeOf('function');
    expect(await parity('custom Scale layer', model)).toBeLessThan(1e-4);
    expect(inspectOnnx(await exportOnnx(model)).parameterCount).toBe(model.countParams());
  });

  it('a converter returning several outputs', async () => {
    registerConverter('NzTestTwoHeads', (_l, ctx) => {
      const x = ctx.inputs[0];
      return [ctx.node('Add', [x, ctx.constantFloat([1])]), ctx.node('Mul', [x, x])];
    });
    const x = tf.input({ shape: [3] });
    const [a, b] = new TwoHeads({}).apply(x) as tf.SymbolicTensor[];
    const model = tf.model({ inputs: x, outputs: [tf.layers.dense({ units: 2 }).apply(a) as tf.SymbolicTensor, b] });
    expect(await parity('custom two-output layer', model)).toBeLessThan(1e-4);
  });

  it('registerConverters registers a family record once and returns its classes sorted', async () => {
    const double: LayerConverter = (_l, ctx) => ctx.node('Add', [ctx.inputs[0], ctx.inputs[0]]);
    const record = { NzTestZeta: double, NzTestAlpha: double };
    expect(registerConverters(record)).toEqual(['NzTestAlpha', 'NzTestZeta']);
    const before = supportedLayerClasses();
    expect(registerConverters(record)).toEqual(['NzTestAlpha', 'NzTestZeta']);
    expect(supportedLayerClasses()).toEqual(before);
    expect(getConverter('NzTestAlpha')).toBe(double);
    expect(getConverter('NzTestZeta')).toBe(double);
  });

  it('rejects a converter that returns the wrong number of outputs', async () => {
    registerConverter('NzTestTwoHeads', (_l, ctx) => ctx.inputs[0]);
    const x = tf.input({ shape: [3] });
    const model = tf.model({ inputs: x, outputs: new TwoHeads({}).apply(x) as tf.SymbolicTensor[] });
    await expect(exportOnnx(model)).rejects.toThrow(/returned 1 output\(s\) for layer '.*', which has 2/);
  });
});
