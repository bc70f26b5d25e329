/**
 * ONNX converters for tfjs's 2-D pooling layers: MaxPooling2D, AveragePooling2D (padding cells
 * excluded from the average, as tfjs), GlobalAveragePooling2D, GlobalMaxPooling2D.
 */
import type { LayerConverter } from '../registry.js';
import { fromNchw, pair, requireChannelsLast, spatial, toNchw, windowPads } from './layout.js';

/** This file's converters by tfjs layer class; the registry adds them on first use. */
export const converters = new Map<string, LayerConverter>();

interface PoolProps {
  name: string;
  poolSize: number[];
  strides: number[];
  padding: string;
  dataFormat?: string;
}

for (const [className, op] of [['MaxPooling2D', 'MaxPool'], ['AveragePooling2D', 'AveragePool']] as const) {
  converters.set(className, (tfLayer, ctx) => {
    const layer = tfLayer as unknown as PoolProps;
    requireChannelsLast(layer);
    const kernel = pair(layer.poolSize);
    const strides = pair(layer.strides);
    const pads = windowPads(layer.padding, spatial(ctx.inputShapes[0], layer.name), kernel, strides);
    const attrs = { kernel_shape: kernel, strides, pads, ...(op === 'AveragePool' ? { count_include_pad: 0 } : {}) };
    return fromNchw(ctx, ctx.node(op, [toNchw(ctx, ctx.inputs[0])], attrs));
  });
}

// [N, C, H, W] -> [N, C, 1, 1] -> [N, C]: the same numbers in either layout.
for (const [className, op] of [['GlobalAveragePooling2D', 'GlobalAveragePool'], ['GlobalMaxPooling2D', 'GlobalMaxPool']] as const) {
  converters.set(className, (tfLayer, ctx) => {
    requireChannelsLast(tfLayer as unknown as PoolProps);
    spatial(ctx.inputShapes[0], tfLayer.name);
    const pooled = ctx.node(op, [toNchw(ctx, ctx.inputs[0])]);
    return ctx.node('Reshape', [pooled, ctx.constantInt64([0, -1])]);
  });
}
