import { DataError, ShapeError } from '../errors.js';
import type { tf } from '../tf.js';

const fmtShape = (shape: readonly (number | null)[]) => `[${shape.map((d) => (d == null ? 'batch' : d)).join(', ')}]`;

/** Throws a {@link DataError} naming the first NaN or ±Inf in `t`. */
export function assertFinite(t: tf.Tensor, what: string): void {
  if (t.dtype !== 'float32') return;
  const values = t.dataSync();
  const perSample = t.shape.slice(1).reduce((a, b) => a * b, 1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      const kind = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
      throw new DataError(
        `${what} contains ${kind} at sample ${Math.floor(i / perSample)} (flat index ${i}); expected finite numbers: clean or impute the data first`,
      );
    }
  }
}

/**
 * Checks tensors against a model's symbolic inputs or outputs (rank and every static
 * dimension) and that all of them hold the same number of samples.
 */
export function assertShapesMatch(
  tensors: tf.Tensor[],
  symbolic: tf.SymbolicTensor[],
  what: 'x' | 'y',
  samples?: number,
): number {
  if (tensors.length !== symbolic.length) {
    throw new ShapeError(`The model has ${symbolic.length} ${what === 'x' ? 'input' : 'output'}(s) but ${what} has ${tensors.length} tensor(s)`);
  }
  let n = samples;
  tensors.forEach((t, i) => {
    const expected = symbolic[i].shape;
    const ok = t.shape.length === expected.length && expected.every((d, k) => d == null || d === t.shape[k]);
    if (!ok) {
      throw new ShapeError(
        `${what === 'x' ? 'Input' : 'Target'} '${symbolic[i].name}' expects shape ${fmtShape(expected)} but ${what} has shape ${fmtShape(t.shape)}`,
      );
    }
    n ??= t.shape[0];
    if (t.shape[0] !== n) {
      throw new ShapeError(`All of x and y must hold the same number of samples: expected ${n}, got ${t.shape[0]} in ${what}[${i}]`);
    }
  });
  return n as number;
}
