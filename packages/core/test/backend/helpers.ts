/** Shared helpers of the backend tests: run one computation on cpu and wasm, compare. */

import { initBackend } from '../../src/backend/index.js';
import { Rng } from '../../src/random.js';
import { tf } from '../../src/tf.js';

/** Deterministic uniform(-1, 1) data (core's mulberry32 {@link Rng}), so both backends see identical inputs. */
export function randomData(size: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: size }, () => 2 * rng.next() - 1);
}

/** A tensor of the given shape filled by {@link randomData}, made on the active backend. */
export function rand(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomData(shape.reduce((p, d) => p * d, 1), seed), shape);
}

/** Runs `fn` on cpu and on wasm (it is told which); returns each backend's outputs as plain data. */
export async function onBoth(fn: (backend: 'cpu' | 'wasm') => tf.Tensor | tf.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[] }> {
  const out: Record<string, Float32Array[]> = {};
  for (const backend of ['cpu', 'wasm'] as const) {
    await initBackend({ backend });
    const ts = tf.tidy(() => fn(backend));
    const list = Array.isArray(ts) ? ts : [ts];
    out[backend] = list.map((t) => t.dataSync() as Float32Array);
    tf.dispose(list);
  }
  return { cpu: out.cpu, wasm: out.wasm };
}

/** max |a - b| / max |b|: error relative to the reference's largest magnitude. */
export function relErr(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/** Largest relative error over paired outputs (wasm vs the cpu reference). */
export function maxRelErr(r: { cpu: Float32Array[]; wasm: Float32Array[] }): number {
  if (r.cpu.length !== r.wasm.length || r.cpu.length === 0) return Infinity; // nothing compared must not pass
  return Math.max(...r.cpu.map((c, i) => relErr(r.wasm[i], c)));
}

/** Tensors tracked by the engine plus data buffers held by the active backend. */
export function liveCounts(): { tensors: number; buffers: number } {
  return { tensors: tf.memory().numTensors, buffers: tf.backend().numDataIds() };
}
