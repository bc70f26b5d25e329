/**
 * ONNX converter of {@link RbmHidden}: MatMul + Add + Sigmoid (inference does not use the visible
 * bias). Registered by a call from the module code of ./rbm.ts, not by a bare side-effect import,
 * which `"sideEffects"`-aware bundlers (esbuild in tsup) drop.
 */
import { registerConverter } from '@neurozoo/core';
import type { RbmHidden } from './layer.js';

/** Registers the RbmHidden converter with core's registry (idempotent). */
export function registerRbmConverter(): void {
  registerConverter('RbmHidden', (layer, ctx) => {
    const rbm = layer as unknown as RbmHidden;
    const pre = ctx.node('Add', [ctx.node('MatMul', [ctx.inputs[0], ctx.weight(rbm.kernel)]), ctx.weight(rbm.bias)]);
    return ctx.node('Sigmoid', [pre]);
  });
}
