/** Shared helpers of the native kernel tests: run on 'native' and 'cpu', compare. */
import * as tf from '@tensorflow/tfjs';
import { registerNativeBackend } from '../src/index.js';

export { tf };

// The cpu backend's banner (see src/index.ts) would repeat in every test file.
(tf.findBackend('cpu') as unknown as { firstUse?: boolean }).firstUse = false;

/** Registration result; tests skip when the addon is not built, except in CI. */
export const status = registerNativeBackend(tf);
export const skip = !status.available && !process.env.CI;

/** Deterministic uniform(-1, 1) data (mulberry32). */
export function randomData(size: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

export const rand = (shape: number[], seed: number): tf.Tensor => tf.tensor(randomData(shape.reduce((p, d) => p * d, 1), seed), shape);

/** Runs `fn` on cpu (reference) and native; returns each one's outputs as plain data. */
export async function onBoth(fn: () => tf.Tensor | tf.Tensor[]): Promise<{ cpu: Float32Array[]; native: Float32Array[] }> {
  const out: Record<string, Float32Array[]> = {};
  for (const backend of ['cpu', 'native']) {
    await tf.setBackend(backend);
    const ts = tf.tidy(fn);
    const list = Array.isArray(ts) ? ts : [ts];
    out[backend] = list.map((t) => t.dataSync() as Float32Array);
    tf.dispose(list);
  }
  return { cpu: out.cpu, native: out.native };
}

/** Largest max|a-b| / max|b| over paired outputs (native vs the cpu reference). */
export function maxRelErr(r: { cpu: Float32Array[]; native: Float32Array[] }): number {
  if (r.cpu.length !== r.native.length) return Infinity;
  let worst = 0;
  r.cpu.forEach((c, i) => {
    const n = r.native[i];
    if (n.length !== c.length) worst = Infinity;
    let diff = 0;
    let scale = 1e-12;
    for (let j = 0; j < c.length; j++) {
      diff = Math.max(diff, Math.abs(n[j] - c[j]) || (Number.isNaN(n[j]) !== Number.isNaN(c[j]) ? Infinity : 0));
      scale = Math.max(scale, Math.abs(c[j]));
    }
    worst = Math.max(worst, diff / scale);
  });
  return worst;
}

/** Runs `fn` twice on native and checks the second run leaves no tensor or buffer behind. */
export async function expectNoLeak(fn: () => tf.Tensor | tf.Tensor[]): Promise<{ tensors: number; buffers: number }[]> {
  await tf.setBackend('native');
  tf.dispose(tf.tidy(fn));
  const count = () => ({ tensors: tf.memory().numTensors, buffers: tf.backend().numDataIds() });
  const before = count();
  tf.dispose(tf.tidy(fn));
  return [before, count()];
}
