/**
 * Pixels -> model input, following the preprocessing recorded at export: channel conversion
 * (RGBA composited over white, RGB -> gray by Rec. 601 luma, gray -> RGB by copying),
 * optional inversion for models trained on light-on-dark images, scaling and layout.
 */
import { DataError } from '@neurozoo/core/runtime';

/** The preprocessing record (the same JSON as @neurozoo/cnn's `Preprocessing`). */
export interface PreprocessingInfo {
  height: number;
  width: number;
  channels: number;
  mean: number[];
  std: number[];
  layout: 'NHWC' | 'NCHW' | 'flat';
  lightOnDark?: boolean;
}

/**
 * An image: a browser `ImageData` (RGBA), or 8-bit pixels row by row with 1 (grayscale),
 * 3 (RGB) or 4 (RGBA) interleaved channels.
 */
export interface ImageInput {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** Interleaved channels per pixel; default: data.length / (width * height). */
  channels?: 1 | 3 | 4;
}

/** Options of the pixel conversion. */
export interface PixelOptions {
  /**
   * Invert brightness first. 'auto' (default): for a model trained on light-on-dark images
   * (MNIST), invert an image whose mean brightness is above 50% (dark strokes on paper).
   */
  invert?: boolean | 'auto';
}

/** A clear error for images the model cannot take (wrong size or channel count), or a model without preprocessing metadata. */
export class ImageInputError extends DataError {}

/** Converts one image to `pre.channels` channels of floats in [0, 255], HWC order. */
function toChannels(img: ImageInput, pre: PreprocessingInfo, index: number): Float32Array {
  const { width, height, data } = img;
  const where = `image ${index}`;
  if (width !== pre.width || height !== pre.height) {
    throw new ImageInputError(`${where} is ${width}x${height} pixels (width x height); the model takes ${pre.width}x${pre.height}. Resize it first.`);
  }
  const pixels = width * height;
  const ch = img.channels ?? data.length / pixels;
  if (![1, 3, 4].includes(ch) || data.length !== pixels * ch) {
    throw new ImageInputError(`${where}: ${data.length} bytes are not ${width}x${height} pixels of 1 (gray), 3 (RGB) or 4 (RGBA) channels.`);
  }
  const out = new Float32Array(pixels * pre.channels);
  for (let p = 0; p < pixels; p++) {
    let r = data[p * ch];
    let g = ch === 1 ? r : data[p * ch + 1];
    let b = ch === 1 ? r : data[p * ch + 2];
    if (ch === 4) {
      const a = data[p * ch + 3] / 255;
      [r, g, b] = [r * a + 255 * (1 - a), g * a + 255 * (1 - a), b * a + 255 * (1 - a)];
    }
    if (pre.channels === 1) out[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    else [out[p * 3], out[p * 3 + 1], out[p * 3 + 2]] = [r, g, b];
  }
  return out;
}

/** Model input data for `images` (float32, in the graph input's layout) and its dims. */
export function imagesToInput(images: ImageInput[], pre: PreprocessingInfo, options: PixelOptions = {}): { data: Float32Array; dims: number[] } {
  const { height: h, width: w, channels: c } = pre;
  const per = h * w * c;
  const data = new Float32Array(images.length * per);
  images.forEach((img, n) => {
    const hwc = toChannels(img, pre, n);
    let invert = options.invert ?? 'auto';
    if (invert === 'auto') invert = Boolean(pre.lightOnDark) && hwc.reduce((a, v) => a + v, 0) / hwc.length > 127.5;
    for (let i = 0; i < per; i++) {
      const k = i % c;
      const v = (invert ? 255 - hwc[i] : hwc[i]) / 255;
      const x = (v - (pre.mean[k] ?? 0)) / (pre.std[k] ?? 1);
      const [p, ch] = [Math.floor(i / c), k];
      data[n * per + (pre.layout === 'NCHW' ? ch * h * w + p : i)] = x;
    }
  });
  const n = images.length;
  const dims = pre.layout === 'flat' ? [n, per] : pre.layout === 'NCHW' ? [n, c, h, w] : [n, h, w, c];
  return { data, dims };
}
