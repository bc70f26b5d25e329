/**
 * Layers that only act while training. In an inference graph they are the identity, so they
 * emit no node at all (Dropout and Identity are also missing from the WebGPU EP).
 */
import type { LayerConverter } from '../registry.js';

/** This file's converters by tfjs layer class; the registry adds them on first use. */
export const converters = new Map<string, LayerConverter>();

for (const className of ['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']) {
  converters.set(className, (_layer, ctx) => ctx.inputs[0]);
}
