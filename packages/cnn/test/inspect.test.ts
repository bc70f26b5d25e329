/** inspectCnn: the pictures `neurozoo inspect` writes for a CNN, decoded and measured. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { initBackend, OptionError, tf, type TrainingData } from '@neurozoo/core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectCnn, mnistNet } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nz-cnn-inspect-'));
beforeAll(() => initBackend({ backend: 'wasm' }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two 28x28 test images: a bright square on black, and its negative. */
function testImages(): TrainingData {
  const x = new Float32Array(2 * 784);
  for (let y = 8; y < 20; y++) for (let c = 8; c < 20; c++) x[y * 28 + c] = 1;
  for (let i = 0; i < 784; i++) x[784 + i] = 1 - x[i];
  return { name: 'toy', x, xShape: [2, 784], y: Int32Array.of(0, 1), numClasses: 2 };
}

describe('inspectCnn', () => {
  it('draws the first convolution\'s kernels, the input image and each conv/pool layer\'s maps', async () => {
    const model = mnistNet({ flatInput: true }, 0);
    const files = await inspectCnn({ model, test: testImages(), outDir: dir });
    const names = files.map((f) => basename(f));
    expect(names.slice(0, 2)).toEqual(['kernels.png', 'input.png']);
    const maps = model.layers.filter((l) => /^(Conv2D|MaxPooling2D)$/.test(l.getClassName())).map((l) => `maps-${l.name}.png`);
    expect(names.slice(2)).toEqual(maps);
    const png = (name: string) => PNG.sync.read(readFileSync(join(dir, name)));
    // 16 kernels of 5x5 at 16 pixels per weight, 4 per row, 2-pixel blue separators.
    const kernels = png('kernels.png');
    expect([kernels.width, kernels.height]).toEqual([4 * (5 * 16 + 2) + 2, 4 * (5 * 16 + 2) + 2]);
    expect(Array.from(kernels.data.subarray(0, 4))).toEqual([40, 80, 160, 255]);
    // The input at 8 pixels per value: black outside the square, white inside.
    const input = png('input.png');
    expect([input.width, input.height]).toEqual([28 * 8 + 4, 28 * 8 + 4]);
    const at = (image: PNG, x: number, y: number) => image.data[(y * image.width + x) * 4];
    expect([at(input, 2 + 4, 2 + 4), at(input, 2 + 14 * 8, 2 + 14 * 8)]).toEqual([0, 255]);
    // First conv ('valid' 5x5): 24x24 maps, 16 channels.
    const first = png(maps[0]);
    const zoom = Math.round(112 / 24);
    expect(first.width).toBe(4 * (24 * zoom + 2) + 2);
    model.dispose();
  });

  it('refuses a model without a convolution', async () => {
    const dense = tf.sequential({ name: 'dense_only', layers: [tf.layers.dense({ units: 2, inputShape: [784] })] });
    const err = await inspectCnn({ model: dense, test: testImages(), outDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OptionError);
    expect((err as Error).message).toBe("Model 'dense_only' has no Conv2D layer to draw.");
    dense.dispose();
  });
});
