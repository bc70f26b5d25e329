/**
 * The seed's definition of convolution, written out: the input is an MxN matrix, the
 * parameter a KxL kernel; every KxL sub-matrix of the input is multiplied element-wise by the
 * kernel, the products are summed, and the (M-K+1)x(N-L+1) sums are the result. (Like every
 * deep-learning library, this does not flip the kernel: it is a cross-correlation.)
 */
import { ShapeError } from '@neurozoo/core';

/** A matrix as rows of numbers, or a flat row-major array with its shape. */
export type Matrix = number[][] | { data: ArrayLike<number>; rows: number; cols: number };

function toFlat(m: Matrix, what: string): { data: ArrayLike<number>; rows: number; cols: number } {
  if (!Array.isArray(m)) {
    if (m.data.length !== m.rows * m.cols) throw new ShapeError(`${what}: ${m.data.length} values do not fill ${m.rows}x${m.cols}.`);
    return m;
  }
  const rows = m.length;
  const cols = rows > 0 ? m[0].length : 0;
  m.forEach((r, i) => {
    if (r.length !== cols) throw new ShapeError(`${what}: row ${i} has ${r.length} values, row 0 has ${cols}.`);
  });
  return { data: m.flat(), rows, cols };
}

/**
 * 'valid' 2-D convolution of an MxN matrix with a KxL kernel: the (M-K+1)x(N-L+1) matrix whose
 * cell (i, j) is sum over (k, l) of matrix[i + k][j + l] * kernel[k][l]. Equals `tf.conv2d` with
 * one input and one output channel, stride 1 and 'valid' padding.
 *
 * @example
 * ```ts
 * convolve2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, -1]]); // [[-4, -4], [-4, -4]]
 * ```
 * @throws ShapeError when a matrix is ragged or empty, or the kernel is larger than the matrix.
 */
export function convolve2d(matrix: Matrix, kernel: Matrix): number[][] {
  const x = toFlat(matrix, 'matrix');
  const k = toFlat(kernel, 'kernel');
  if (x.rows === 0 || x.cols === 0 || k.rows === 0 || k.cols === 0) throw new ShapeError(`convolve2d needs non-empty matrices, got ${x.rows}x${x.cols} and kernel ${k.rows}x${k.cols}.`);
  const outRows = x.rows - k.rows + 1;
  const outCols = x.cols - k.cols + 1;
  if (outRows < 1 || outCols < 1) {
    throw new ShapeError(`A ${k.rows}x${k.cols} kernel does not fit in a ${x.rows}x${x.cols} matrix: the result would be ${outRows}x${outCols}.`);
  }
  const out: number[][] = [];
  for (let i = 0; i < outRows; i++) {
    const row = new Array<number>(outCols);
    for (let j = 0; j < outCols; j++) {
      let sum = 0;
      for (let a = 0; a < k.rows; a++) for (let b = 0; b < k.cols; b++) sum += x.data[(i + a) * x.cols + j + b] * k.data[a * k.cols + b];
      row[j] = sum;
    }
    out.push(row);
  }
  return out;
}
