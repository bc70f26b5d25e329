/**
 * Reading token data sets as the CLI hands them over (structurally typed TrainingData): x
 * [n, L] input ids and y [n, T] target ids, 0-padded, with `inputNames` naming the input ids
 * and `classNames` the target ids (`loadDataset('cmudict')`, `loadDataset('brown-pos')`).
 */
import { DataError, isInteractive, type TrainingData } from '@neurozoo/core';

/** TrainingData of token ids: `inputNames[id]` names each input id (0 = padding). */
export interface TokenTrainingData extends TrainingData {
  inputNames?: string[];
}

/** One sample: input ids and target ids without padding. */
export interface TokenRow {
  inputs: Int32Array;
  targets: Int32Array;
}

/** Token rows of `d` with the names of their ids; throws DataError when `d` is not token data. */
export function tokenRows(d: TokenTrainingData, arch: string, expected: string): { rows: TokenRow[]; inputNames: string[]; classNames: string[] } {
  const { inputNames, classNames, yShape } = d;
  if (!inputNames || !classNames || !yShape || d.xShape.length !== 2 || yShape.length !== 2) {
    throw new DataError(
      `${arch} trains on token sequences (x [n, L] and y [n, T] ids with inputNames and classNames, as the '${expected}' data set gives); ` +
        `got '${d.name}' with x [${d.xShape.join(', ')}]${yShape ? `, y [${yShape.join(', ')}]` : ''}${inputNames ? '' : ' and no inputNames'}`,
    );
  }
  const [n, L] = d.xShape;
  const T = yShape[1];
  const rows: TokenRow[] = [];
  const unpad = (a: ArrayLike<number>) => {
    let len = 0;
    while (len < a.length && a[len] !== 0) len++;
    return Int32Array.from({ length: len }, (_, i) => a[i]);
  };
  for (let i = 0; i < n; i++) rows.push({ inputs: unpad(d.x.subarray(i * L, (i + 1) * L)), targets: unpad(d.y.subarray(i * T, (i + 1) * T)) });
  return { rows, inputNames, classNames };
}

/** True when progress lines are wanted: `verbose` true, or 'auto' on a TTY outside CI. */
export function chatty(verbose: boolean | 'auto'): boolean {
  return verbose === true || (verbose === 'auto' && isInteractive());
}
