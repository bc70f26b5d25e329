/**
 * ONNX converter of {@link RbmHidden}: MatMul + Add + Sigmoid (inference does not use the visible
 * bias). layers/index.ts collects it into RBM_DBN_CONVERTERS.
 */
import type { LayerConverter } from '@neurozoo/core';
import type { RbmHidden } from './rbm-hidden.js';

/** This file's converters by tfjs layer class. */
export const converters: Readonly<Record<string, LayerConverter>> = {
  RbmHidden: (layer, ctx) => {
    const rbm = layer as unknown as RbmHidden;
    const pre = ctx.node('Add', [ctx.node('MatMul', [ctx.inputs[0], ctx.weight(rbm.kernel)]), ctx.weight(rbm.bias)]);
    return ctx.node('Sigmoid', [pre]);
  },
};
