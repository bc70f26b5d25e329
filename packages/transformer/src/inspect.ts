/**
 * Attention maps as pictures (`neurozoo inspect <dir>`): for one input sequence, the attention
 * probabilities of every head of every block, rows = queries, columns = keys, darker = more.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InspectRequest } from '@neurozoo/core';
import { OptionError, tf } from '@neurozoo/core';
import { PNG } from 'pngjs';
import { TransformerDecoderBlock, TransformerEncoderBlock } from './layers/blocks.js';

/** Attention probabilities [heads, T, T] of every TransformerEncoderBlock of `model` on one sequence of ids. */
export function attentionMaps(model: tf.LayersModel, ids: number[]): tf.Tensor[] {
  const blocks = model.layers.filter((l): l is TransformerEncoderBlock => l instanceof TransformerEncoderBlock);
  if (blocks.length === 0) throw new OptionError(`Model '${model.name}' has no TransformerEncoderBlock.`);
  const probe = tf.model({ inputs: model.inputs, outputs: blocks.map((b) => b.input as tf.SymbolicTensor) });
  return tf.tidy(() => {
    const out = probe.predict(tf.tensor2d(ids, [1, ids.length])) as tf.Tensor | tf.Tensor[];
    const inputs = Array.isArray(out) ? out : [out];
    return blocks.map((b, i) => b.forward(inputs[i], false).probs.squeeze([0]));
  });
}

/**
 * Cross-attention probabilities [heads, T, S] of every TransformerDecoderBlock of an
 * encoder-decoder `model` (inputs: source ids, decoder input ids) for one source and one
 * teacher-forced decoder input: row t says which source symbols step t attends to.
 */
export function crossAttentionMaps(model: tf.LayersModel, source: ArrayLike<number>, decoderInput: ArrayLike<number>): tf.Tensor[] {
  const blocks = model.layers.filter((l): l is TransformerDecoderBlock => l instanceof TransformerDecoderBlock);
  if (blocks.length === 0 || model.inputs.length !== 2) throw new OptionError(`Model '${model.name}' is not an encoder-decoder with TransformerDecoderBlocks.`);
  // Blocks share the encoder output and mask: probe each symbolic tensor once (tfjs returns
  // null for a tensor listed twice as an output).
  const blockInputs = blocks.map((b) => b.input as tf.SymbolicTensor[]);
  const unique = [...new Set(blockInputs.flat())];
  const probe = tf.model({ inputs: model.inputs, outputs: unique });
  return tf.tidy(() => {
    const src = tf.tensor2d(Array.from(source), [1, source.length]);
    const tgt = tf.tensor2d(Array.from(decoderInput), [1, decoderInput.length]);
    const out = probe.predict([src, tgt]) as tf.Tensor[];
    return blocks.map((b, i) => b.forward(blockInputs[i].map((t) => out[unique.indexOf(t)]), false).crossProbs.squeeze([0]));
  });
}

/** One [T, T] map as a PNG heat map, `zoom` pixels per cell (white = 0, dark blue = 1). */
export function heatmapPng(map: Float32Array, rows: number, cols: number, zoom = 6): Uint8Array {
  const png = new PNG({ width: cols * zoom, height: rows * zoom });
  for (let y = 0; y < rows * zoom; y++) {
    for (let x = 0; x < cols * zoom; x++) {
      const v = Math.min(1, Math.max(0, map[Math.floor(y / zoom) * cols + Math.floor(x / zoom)]));
      const i = (y * cols * zoom + x) * 4;
      png.data[i] = Math.round(255 * (1 - v));
      png.data[i + 1] = Math.round(255 * (1 - 0.8 * v));
      png.data[i + 2] = Math.round(255 * (1 - 0.4 * v));
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** The attention map of block `layer`, head `head` for `ids`, as PNG bytes. */
export function attentionMapPng(model: tf.LayersModel, ids: number[], layer: number, head: number): Uint8Array {
  const maps = attentionMaps(model, ids);
  try {
    if (!maps[layer] || head >= maps[layer].shape[0]) throw new OptionError(`No layer ${layer} / head ${head}: the model has ${maps.length} blocks of ${maps[0].shape[0]} heads.`);
    const t = ids.length;
    return heatmapPng(maps[layer].slice([head, 0, 0], [1, t, t]).dataSync() as Float32Array, t, t);
  } finally {
    tf.dispose(maps);
  }
}

/** Writes `attention-layer<l>-head<h>.png` for every block and head on the first test sequence; returns the paths. */
export async function inspectAttention({ model, test, outDir }: InspectRequest): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const t = test.xShape[1];
  const ids = Array.from(test.x.subarray(0, t));
  const maps = attentionMaps(model, ids);
  const files: string[] = [];
  maps.forEach((m, layer) => {
    for (let head = 0; head < m.shape[0]; head++) {
      const path = join(outDir, `attention-layer${layer}-head${head}.png`);
      writeFileSync(path, heatmapPng(m.slice([head, 0, 0], [1, t, t]).dataSync() as Float32Array, t, t));
      files.push(path);
    }
  });
  tf.dispose(maps);
  return files;
}
