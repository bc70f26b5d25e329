/**
 * Pictures of a trained CNN (`neurozoo inspect <dir>`): the first convolution's kernels, and the
 * feature maps every conv/pool layer produces for one test image, written as PNG with pngjs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type InspectRequest, OptionError, tf, tileGrid } from '@neurozoo/core';
import { PNG } from 'pngjs';

/** Core's tile grid with this family's look (2-pixel blue separators), as PNG bytes. */
function tilesPng(tiles: Float32Array[], h: number, w: number, zoom: number, columns?: number): Uint8Array {
  const image = tileGrid(tiles, h, w, { zoom, columns, gap: 2, background: [40, 80, 160] });
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data);
  return PNG.sync.write(png);
}

/** The channels of an NHWC map [h, w, c] (one image) as c tiles of h*w values. */
function channelsOf(data: Float32Array, h: number, w: number, c: number): Float32Array[] {
  return Array.from({ length: c }, (_, k) => {
    const tile = new Float32Array(h * w);
    for (let i = 0; i < h * w; i++) tile[i] = data[i * c + k];
    return tile;
  });
}

const MAP_LAYERS = /^(Conv2D|DepthwiseConv2D|SeparableConv2D|MaxPooling2D|AveragePooling2D|Activation|BatchNormalization)$/;

/**
 * Writes `kernels.png` (every input-channel slice of the first Conv2D's kernels), `input.png`
 * (test image 0) and `maps-<layer>.png` (its feature maps after each conv/pool layer) into
 * `outDir`; returns the paths.
 */
export async function inspectCnn({ model, test, outDir }: InspectRequest): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(outDir, name);
    writeFileSync(path, bytes);
    files.push(path);
  };
  const conv = model.layers.find((l) => l.getClassName() === 'Conv2D');
  if (!conv) throw new OptionError(`Model '${model.name}' has no Conv2D layer to draw.`);
  const kernel = conv.getWeights()[0];
  const [kh, kw, ci] = kernel.shape;
  // One row per output channel when there are several input channels.
  write('kernels.png', tilesPng(kernelTiles(kernel), kh, kw, 16, ci > 1 ? ci : undefined));

  const per = model.inputs[0].shape.slice(1).reduce((a: number, b) => a * (b as number), 1);
  const image = tf.tensor(test.x.subarray(0, per), [1, ...(model.inputs[0].shape.slice(1) as number[])]);
  const mapLayers = model.layers.filter((l) => MAP_LAYERS.test(l.getClassName()) && (l.outputShape as number[]).length === 4);
  const probe = tf.model({ inputs: model.inputs, outputs: mapLayers.map((l) => l.output as tf.SymbolicTensor) });
  const outputs = probe.predict(image) as tf.Tensor | tf.Tensor[];
  const maps = Array.isArray(outputs) ? outputs : [outputs];
  const [h, w, c] = imageShapeOf(model, test.xShape);
  write('input.png', tilesPng(channelsOf(test.x.subarray(0, per) as Float32Array, h, w, c), h, w, 8));
  maps.forEach((m, i) => {
    const [, mh, mw, mc] = m.shape;
    write(`maps-${mapLayers[i].name}.png`, tilesPng(channelsOf(m.dataSync() as Float32Array, mh, mw, mc), mh, mw, Math.max(2, Math.round(112 / mh))));
  });
  tf.dispose([image, ...maps]); // not `kernel`: getWeights() hands out the layer's own variable value
  return files;
}

/** One tile per (output, input) channel pair of an HWIO kernel, ordered by output channel. */
function kernelTiles(kernel: tf.Tensor): Float32Array[] {
  const [kh, kw, ci, co] = kernel.shape;
  const data = kernel.dataSync() as Float32Array;
  const tiles: Float32Array[] = [];
  for (let o = 0; o < co; o++) {
    for (let i = 0; i < ci; i++) {
      const tile = new Float32Array(kh * kw);
      for (let p = 0; p < kh * kw; p++) tile[p] = data[(p * ci + i) * co + o];
      tiles.push(tile);
    }
  }
  return tiles;
}

function imageShapeOf(model: tf.LayersModel, xShape: number[]): [number, number, number] {
  const s = model.inputs[0].shape;
  if (s.length === 4) return [s[1], s[2], s[3]] as [number, number, number];
  if (xShape.length === 4) return [xShape[1], xShape[2], xShape[3]];
  const side = Math.round(Math.sqrt(s[1] as number));
  return [side, side, 1];
}
