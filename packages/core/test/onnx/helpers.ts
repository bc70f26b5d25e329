/**
 * Shared set-up of the ONNX tests: the wasm backend, and `parity()`, which checks a model at
 * batch 1 and batch 4 with randomised weights and records the worst error per label so each
 * file can print what it measured.
 */
import '@tensorflow/tfjs-backend-wasm';
import { expectOnnxParity, randomInputs, randomizeWeights } from '../../src/testing/index.js';
import { tf } from '../../src/tf.js';

/** Worst max-abs error seen per label in this test file. */
export const measured = new Map<string, number>();

/** Selects the wasm backend (call from beforeAll). */
export async function useWasm(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
}

/**
 * Randomises the weights (seeded), then checks parity at batch 1 and batch 4 (tol 1e-4 abs,
 * ONNX checker included). Returns the worst max-abs error.
 */
export async function parity(label: string, model: tf.LayersModel, options: { opset?: number; seed?: number; tol?: number } = {}): Promise<number> {
  randomizeWeights(model, options.seed ?? 7);
  let worst = 0;
  for (const batch of [1, 4]) {
    const xs = randomInputs(model, batch, batch);
    try {
      // The checker needs the bytes once (they do not depend on the batch); python3-onnx 1.12
      // knows opsets up to 17 only.
      const check = batch === 1 && (options.opset ?? 17) <= 17;
      const r = await expectOnnxParity(model, xs, { opset: options.opset, tol: options.tol, check });
      worst = Math.max(worst, r.maxAbsError);
    } finally {
      tf.dispose(xs);
    }
  }
  measured.set(label, Math.max(measured.get(label) ?? 0, worst));
  return worst;
}

/** Prints the measured errors (call from afterAll). */
export function report(file: string): void {
  const rows = [...measured.entries()].map(([k, v]) => `  ${k.padEnd(40)} ${v.toExponential(2)}`);
  console.log(`ONNX parity (${file}), max abs error over batch 1 and 4:\n${rows.join('\n')}`);
}
