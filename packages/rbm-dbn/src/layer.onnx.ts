/**
 * ONNX converter of {@link RbmHidden}: MatMul + Add + Sigmoid (inference does not use the visible
 * bias). The package index registers it with core's registry.
 */
import type { LayerConverter } from '@neurozoo/core';
import type { RbmHidden } from './layer.js';

/** The ONNX converters of this family's layers, by tfjs class. */
export const RBM_DBN_CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  RbmHidden: (layer, ctx) => {
    const rbm = layer as unknown as RbmHidden;
    const pre = ctx.node('Add', [ctx.node('MatMul', [ctx.inputs[0], ctx.weight(rbm.kernel)]), ctx.weight(rbm.bias)]);
    return ctx.node('Sigmoid', [pre]);
  },
};
