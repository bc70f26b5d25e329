/** Small pieces of the image pipeline, checked on hand-made values: shapes, preprocessing, pixels, predictions. */
import { initBackend, ShapeError, tf, type TrainingData } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageShape, lenet5, mnistNet, predictClasses, preprocessingFor, windowOutput } from '../src/index.js';
import { imagesToInput } from '../src/runtime/index.js';

beforeAll(() => initBackend({ backend: 'wasm' }));

const data = (xShape: number[]): TrainingData => ({ name: 'toy', x: new Float32Array(xShape.reduce((a, b) => a * b, 1)), xShape, y: new Int32Array(xShape[0]), numClasses: 2 });

describe('shapes', () => {
  it('windowOutput: valid drops the partial windows, same keeps ceil(n / stride)', () => {
    expect([windowOutput(28, 5, 1, 'valid'), windowOutput(28, 2, 2, 'valid'), windowOutput(7, 3, 2, 'valid')]).toEqual([24, 14, 3]);
    expect([windowOutput(28, 5, 1, 'same'), windowOutput(7, 3, 2, 'same')]).toEqual([28, 4]);
  });

  it('imageShape reads [h, w, c] from NHWC, NHW and square flat data, and refuses the rest', () => {
    expect(imageShape(data([2, 28, 28, 3]))).toEqual([28, 28, 3]);
    expect(imageShape(data([2, 8, 6]))).toEqual([8, 6, 1]);
    expect(imageShape(data([2, 784]))).toEqual([28, 28, 1]);
    expect(() => imageShape(data([2, 5]))).toThrow(ShapeError);
    expect(() => imageShape(data([2, 5]))).toThrow(new ShapeError("The CNN architectures need image data ([n, h, w, c]); 'toy' has samples of shape [5]."));
    expect(() => imageShape(data([2, 2, 2, 2, 1]))).toThrow(new ShapeError("The CNN architectures need image data ([n, h, w, c]); 'toy' has samples of shape [2,2,2,1]."));
  });
});

describe('preprocessing and pixels', () => {
  it('preprocessingFor: NHWC models read their input shape, flat models need the image size', () => {
    expect(preprocessingFor(lenet5({}, 0))).toEqual({ height: 28, width: 28, channels: 1, mean: [0], std: [1], layout: 'NHWC' });
    const flat = mnistNet({ flatInput: true }, 0);
    expect(preprocessingFor(flat, { preprocessing: { height: 28, width: 28, lightOnDark: true } })).toEqual({
      height: 28, width: 28, channels: 1, mean: [0], std: [1], layout: 'flat', lightOnDark: true,
    });
    expect(() => preprocessingFor(flat)).toThrow('preprocessing needs height, width and channels for a model with a flat input.');
    expect(() => preprocessingFor(flat, { preprocessing: { height: 27, width: 28 } })).toThrow(
      "preprocessing 27x28x1 does not match the model's flat input of 784 values.",
    );
  });

  it('imagesToInput scales to [0, 1], normalizes per channel, and lays RGB out as NHWC or NCHW', () => {
    const rgb = { width: 2, height: 1, data: Uint8Array.from([255, 0, 51, 0, 255, 102]) };
    const pre = { height: 1, width: 2, channels: 3, mean: [0.5, 0, 0], std: [0.5, 1, 1], layout: 'NHWC' as const };
    const nhwc = imagesToInput([rgb], pre);
    expect(nhwc.dims).toEqual([1, 1, 2, 3]);
    expect(Array.from(nhwc.data)).toEqual([1, 0, 0.2, -1, 1, 0.4].map(Math.fround));
    const nchw = imagesToInput([rgb], { ...pre, layout: 'NCHW' });
    expect(nchw.dims).toEqual([1, 3, 1, 2]);
    expect(Array.from(nchw.data)).toEqual([1, -1, 0, 1, 0.2, 0.4].map(Math.fround));
    // light-on-dark models: dark ink on white paper is inverted in 'auto' mode, kept with invert: false
    const paper = { width: 2, height: 1, data: Uint8Array.from([255, 51]) }; // mean 153 > 127.5: mostly white
    const gray = { height: 1, width: 2, channels: 1, mean: [0], std: [1], layout: 'flat' as const, lightOnDark: true };
    expect(Array.from(imagesToInput([paper], gray).data)).toEqual([0, 0.8].map(Math.fround));
    expect(Array.from(imagesToInput([paper], gray, { invert: false }).data)).toEqual([1, 0.2].map(Math.fround));
  });
});

it('predictClasses: the argmax of predict, in chunks', () => {
  const model = lenet5({}, 3);
  const x = tf.randomUniform([7, 28, 28, 1], 0, 1, 'float32', 2).dataSync() as Float32Array;
  const want = tf.tidy(() => (model.predict(tf.tensor4d(x, [7, 28, 28, 1])) as tf.Tensor).argMax(-1).dataSync());
  expect(Array.from(predictClasses(model, { x, shape: [7, 28, 28, 1] }, 3))).toEqual(Array.from(want));
  expect(new Set(want).size).toBeGreaterThan(1); // the comparison sees more than one class
});
