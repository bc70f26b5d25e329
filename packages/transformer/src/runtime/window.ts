/**
 * The window a next token is predicted from, shared by tfjs and onnxruntime decoding so both
 * produce the same tokens: the tokens since `start`; when they fill the context, `start` jumps so
 * the newest half of the context stays (a KV cache is rebuilt from it once, not every step).
 */
export function nextWindowStart(start: number, length: number, contextLength: number): number {
  return length - start >= contextLength ? length - Math.floor(contextLength / 2) : start;
}
