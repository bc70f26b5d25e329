/**
 * `@neurozoo/core/testing`: helpers every family's tests use for ONNX parity. Node only
 * (runs onnxruntime-node, /usr/bin/python3, and pnpm + npm for {@link installPacked}).
 *
 * @example
 * ```ts
 * randomizeWeights(model, 1);
 * const { maxAbsError } = await expectOnnxParity(model); // throws when over 1e-4
 * ```
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportOnnx } from '../onnx/index.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';
import { type VerifyResult, verifyOnnx } from '../verify.js';

export { importSpecifiers, moduleGraph, type ModuleGraph, type ModuleGraphOptions } from './module-graph.js';
export { randomInputs } from '../verify.js';
export { type InstallPackedOptions, installPacked, installRuntime, type PackedInstall, trainingPackages } from './packed.js';

/** Options of {@link expectOnnxParity}. */
export interface ParityOptions {
  /** Largest accepted max |onnx - tfjs| over all outputs (default 1e-4). */
  tol?: number;
  /** Opset to export with (default: exportOnnx's default, 17). */
  opset?: number;
  /**
   * Run the ONNX checker (default true). python3-onnx 1.12 knows opsets up to 17 and IR up to
   * 8, so pass false for opset > 17 on such machines.
   */
  check?: boolean;
}

/** What {@link expectOnnxParity} returns: the verification numbers and the exported bytes. */
export interface ParityResult extends VerifyResult {
  bytes: Uint8Array;
}

const PYTHON = '/usr/bin/python3';
const INSTALL_HINT = 'apt-get install -y python3-onnx';
const CHECK_SCRIPT = [
  'import sys',
  'try:',
  '    import onnx',
  'except ImportError:',
  '    sys.exit(3)',
  'onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)',
].join('\n');

/**
 * Runs `onnx.checker.check_model(model, full_check=True)` (which includes strict shape
 * inference) on the bytes through /usr/bin/python3 (or `options.python`).
 * @throws Error with the checker's message when the model is invalid, or one that says
 * `apt-get install -y python3-onnx` when python3 or its onnx module is missing.
 */
export function checkOnnx(bytes: Uint8Array, options: { python?: string } = {}): void {
  const python = options.python ?? PYTHON;
  const dir = mkdtempSync(join(tmpdir(), 'neurozoo-check-'));
  try {
    const file = join(dir, 'model.onnx');
    writeFileSync(file, bytes);
    const run = spawnSync(python, ['-c', CHECK_SCRIPT, file], { encoding: 'utf8' });
    if (run.error) throw new Error(`Cannot run ${python} for the ONNX checker (${run.error.message}): ${INSTALL_HINT}`);
    if (run.status === 3) throw new Error(`The Python onnx module is missing for the ONNX checker: ${INSTALL_HINT}`);
    if (run.status !== 0) {
      const lines = run.stderr.trim().split('\n');
      throw new Error(`ONNX checker rejected the model: ${lines[lines.length - 1]}\n${run.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Exports `model`, runs it in tfjs and onnxruntime on the same inputs (random batch-3 inputs
 * when omitted), runs the ONNX checker, and throws a descriptive Error when an output differs
 * by more than `tol`. Returns the numbers and the bytes, so tests can report them.
 */
export async function expectOnnxParity(
  model: tf.LayersModel,
  inputs?: tf.Tensor | tf.Tensor[],
  options: ParityOptions = {},
): Promise<ParityResult> {
  const tol = options.tol ?? 1e-4;
  const bytes = await exportOnnx(model, { opset: options.opset });
  if (options.check ?? true) checkOnnx(bytes);
  const result = await verifyOnnx(model, bytes, inputs);
  if (!(result.maxAbsError <= tol)) {
    const detail = result.outputs.map((o) => `  ${o.name}: max abs ${o.maxAbsError.toExponential(3)}, max rel ${o.maxRelError.toExponential(3)}`);
    throw new Error(`ONNX parity failed for model '${model.name}': max abs error ${result.maxAbsError} > tol ${tol}.\n${detail.join('\n')}`);
  }
  return { ...result, bytes };
}

/**
 * Sets every weight of `model` to seeded random values, so parity tests do not pass on zero
 * biases or unit BatchNormalization statistics: weights of rank >= 2 get N(0, 1/fan_in)
 * (fan_in = product of all but the last dimension, keeping activations O(1)); vectors
 * (biases, gamma, beta, moving means, PReLU alphas) get U(-0.5, 0.5), except variances
 * (names containing 'variance'), which get U(0.5, 1.5) to stay positive.
 */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const rng = new Rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const values = model.weights.map((w) => {
    const size = w.shape.reduce((a: number, b) => a * (b as number), 1);
    const fanIn = w.shape.length >= 2 ? w.shape.slice(0, -1).reduce((a: number, b) => a * (b as number), 1) : 0;
    const draw = /variance/i.test(w.name)
      ? () => 0.5 + rng.next()
      : fanIn > 0
        ? () => normal() / Math.sqrt(fanIn)
        : () => rng.next() - 0.5;
    return tf.tensor(Array.from({ length: size }, draw), w.shape as number[], w.dtype);
  });
  model.setWeights(values);
  tf.dispose(values);
}
