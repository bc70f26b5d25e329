/**
 * Canvas drawing -> MNIST-style 28x28 input, the way MNIST was made: the digit is scaled to fit
 * a 20x20 box (aspect kept) and placed so its centre of mass sits at the centre of the 28x28 field.
 */

/** Averages `factor`x`factor` blocks of the red channel (white digit on black) into [0, 1] values. */
export function downscale(rgba: Uint8ClampedArray, width: number, factor: number): Float32Array {
  const w = width / factor;
  const out = new Float32Array(w * w);
  for (let y = 0; y < width; y++) {
    for (let x = 0; x < width; x++) out[Math.floor(y / factor) * w + Math.floor(x / factor)] += rgba[(y * width + x) * 4];
  }
  return out.map((v) => v / (255 * factor * factor));
}

/** Bilinear sample of the `size`x`size` image at fractional (x, y); 0 outside. */
function sample(img: Float32Array, size: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  let v = 0;
  for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
    const xi = x0 + dx;
    const yi = y0 + dy;
    if (xi < 0 || yi < 0 || xi >= size || yi >= size) continue;
    v += img[yi * size + xi] * (1 - Math.abs(x - xi)) * (1 - Math.abs(y - yi));
  }
  return v;
}

/** Fits the ink of a 28x28 image into a 20x20 box and centres its mass; `null` when it is blank. */
export function normalize(img: Float32Array, size = 28, box = 20): Float32Array | null {
  let [x0, y0, x1, y1] = [size, size, -1, -1];
  for (let i = 0; i < img.length; i++) {
    if (img[i] <= 0.05) continue;
    const x = i % size;
    const y = Math.floor(i / size);
    [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  }
  if (x1 < 0) return null;
  const scale = box / Math.max(x1 - x0 + 1, y1 - y0 + 1);
  // First pass: the scaled digit at the field's centre; second: shifted so its mass is centred.
  const render = (cx: number, cy: number) => {
    const out = new Float32Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) out[y * size + x] = sample(img, size, (x - cx) / scale + (x0 + x1) / 2, (y - cy) / scale + (y0 + y1) / 2);
    }
    return out;
  };
  const first = render((size - 1) / 2, (size - 1) / 2);
  let [mass, mx, my] = [0, 0, 0];
  first.forEach((v, i) => {
    mass += v;
    mx += v * (i % size);
    my += v * Math.floor(i / size);
  });
  return render(size - 1 - mx / mass, size - 1 - my / mass);
}
