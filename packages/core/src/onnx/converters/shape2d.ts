/**
 * ONNX converters for tfjs's 2-D shape layers on feature maps: ZeroPadding2D (Pad), Cropping2D
 * (Slice) and UpSampling2D (Resize; 'nearest' and 'bilinear' with tfjs's asymmetric
 * coordinates, no half-pixel centres).
 */
import type { LayerConverter } from '../registry.js';
import { fromNchw, requireChannelsLast, spatial, toNchw } from './layout.js';

/** This file's converters by tfjs layer class; the registry adds them on first use. */
export const converters = new Map<string, LayerConverter>();

type Margins = [[number, number], [number, number]];

converters.set('ZeroPadding2D', (tfLayer, ctx) => {
  const layer = tfLayer as unknown as { padding: Margins; dataFormat?: string; name: string };
  requireChannelsLast(layer);
  const [[top, bottom], [left, right]] = layer.padding;
  const pads = ctx.constantInt64([0, 0, top, left, 0, 0, bottom, right]);
  return fromNchw(ctx, ctx.node('Pad', [toNchw(ctx, ctx.inputs[0]), pads], { mode: 'constant' }));
});

converters.set('Cropping2D', (tfLayer, ctx) => {
  const layer = tfLayer as unknown as { cropping: Margins; dataFormat?: string; name: string };
  requireChannelsLast(layer);
  const [h, w] = spatial(ctx.inputShapes[0], layer.name);
  const [[top, bottom], [left, right]] = layer.cropping;
  const starts = ctx.constantInt64([top, left]);
  const ends = ctx.constantInt64([h - bottom, w - right]);
  return fromNchw(ctx, ctx.node('Slice', [toNchw(ctx, ctx.inputs[0]), starts, ends, ctx.constantInt64([2, 3])]));
});

converters.set('UpSampling2D', (tfLayer, ctx) => {
  const layer = tfLayer as unknown as { size: number[]; interpolation: string; dataFormat?: string; name: string };
  requireChannelsLast(layer);
  const [sh, sw] = layer.size;
  const scales = ctx.constantFloat([1, 1, sh, sw]);
  const attrs =
    layer.interpolation === 'bilinear'
      ? { mode: 'linear', coordinate_transformation_mode: 'asymmetric' }
      : { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' };
  return fromNchw(ctx, ctx.node('Resize', [toNchw(ctx, ctx.inputs[0]), '', scales], attrs));
});
