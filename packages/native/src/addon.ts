/**
 * Loads the compiled addon (dist/neurozoo_native.node, or csrc/build/Release/ during
 * development). Loading never throws: callers get `null` and the reason, and fall back.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Shapes travel as one Int32Array: see csrc/addon.cc for each layout. */
export interface NativeAddon {
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, bias: Float32Array | null, dims: Int32Array, alpha: number): void;
  conv2d(x: Float32Array, w: Float32Array, y: Float32Array, bias: Float32Array | null, dims: Int32Array, alpha: number): void;
  conv2dBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array, dims: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, dims: Int32Array): void;
  adam(x: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, xo: Float32Array, mo: Float32Array, vo: Float32Array, p: Float32Array): void;
  lstmStep(xp: Float32Array, r: Float32Array, cPrev: Float32Array, h: Float32Array, c: Float32Array, acts: Float32Array, dims: Int32Array): void;
  lstmStepGrad(
    acts: Float32Array,
    cPrev: Float32Array,
    dSeq: Float32Array,
    dh: Float32Array | null,
    dcNext: Float32Array | null,
    dz: Float32Array,
    dcPrev: Float32Array,
    dims: Int32Array,
  ): void;
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array, dims: Int32Array): void;
  reduce(how: number, x: Float32Array, out: Float32Array, dims: Int32Array): void;
  softmax(x: Float32Array, out: Float32Array, dims: Int32Array): void;
  maxPool(x: Float32Array, y: Float32Array, dims: Int32Array): void;
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, dims: Int32Array): void;
  unary(op: number, x: Float32Array, y: Float32Array, alpha: number): void;
  setThreads(n: number): number;
  info(): { threads: number; kernel: string };
}

let cached: { addon: NativeAddon | null; error?: string } | undefined;

function here(): string {
  // tsup's shims make import.meta.url work in the CJS build too.
  return dirname(fileURLToPath(import.meta.url));
}

/**
 * The addon, or null with `error` saying why (not built, built for another Node ABI,
 * disabled with NEUROZOO_NATIVE=0). The result is cached per process.
 */
export function loadAddon(): { addon: NativeAddon | null; error?: string } {
  if (cached) return cached;
  if (process.env.NEUROZOO_NATIVE === '0') {
    cached = { addon: null, error: 'disabled by NEUROZOO_NATIVE=0' };
    return cached;
  }
  const dir = here();
  const candidates = [join(dir, 'neurozoo_native.node'), join(dir, '..', 'dist', 'neurozoo_native.node'), join(dir, '..', 'csrc', 'build', 'Release', 'neurozoo_native.node')];
  const path = candidates.find((p) => existsSync(p));
  if (!path) {
    cached = { addon: null, error: 'the addon is not built (run `pnpm --filter @neurozoo/native build`; needs g++ and Node headers)' };
    return cached;
  }
  try {
    cached = { addon: createRequire(import.meta.url)(path) as NativeAddon };
  } catch (err) {
    cached = { addon: null, error: `could not load ${path}: ${(err as Error).message.split('\n')[0]}` };
  }
  return cached;
}
