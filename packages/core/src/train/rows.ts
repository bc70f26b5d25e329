/**
 * Copies the rows `rows[from..to)` of a row-major matrix `data` (rows of `width` values) into a
 * new array, in that order: a minibatch from a shuffled order, or a beam's states reordered by
 * their parents. No tfjs here, so runtime code can use it.
 */
export function gatherRows(data: Float32Array, width: number, rows: ArrayLike<number>, from = 0, to = rows.length): Float32Array {
  const out = new Float32Array((to - from) * width);
  for (let i = from; i < to; i++) out.set(data.subarray(rows[i] * width, (rows[i] + 1) * width), (i - from) * width);
  return out;
}
