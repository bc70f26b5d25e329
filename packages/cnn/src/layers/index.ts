/**
 * Registration of the CNN family's ONNX converters with core's registry. Called from the
 * package index's module code (not a bare side-effect import, which `"sideEffects"`-aware
 * bundlers may drop) and idempotent across the ESM and CJS builds.
 */
import { registerConverter } from '@neurozoo/core';
import { converters as conv } from './conv.onnx.js';
import { converters as followers } from './norm.onnx.js';
import { converters as pool } from './pool.onnx.js';
import { converters as shape } from './shape.onnx.js';

const DONE = Symbol.for('neurozoo.cnn.converters');
const flags = globalThis as { [DONE]?: string[] };

/**
 * Registers converters for Conv2D, DepthwiseConv2D, SeparableConv2D, Max/AveragePooling2D,
 * GlobalAverage/GlobalMaxPooling2D, ZeroPadding2D, Cropping2D, UpSampling2D, and channel-first
 * versions of BatchNormalization, activation layers and merges after them. Importing
 * `@neurozoo/cnn` calls it; calling it again does nothing. Returns the classes it covers.
 */
export function registerCnnConverters(): string[] {
  if (flags[DONE]) return flags[DONE];
  // Wrappers look core's converters up before replacing them.
  const all = new Map([...followers(), ...conv, ...pool, ...shape]);
  for (const [name, converter] of all) registerConverter(name, converter);
  flags[DONE] = [...all.keys()].sort();
  return flags[DONE];
}
