#!/usr/bin/env node
/**
 * `node packages/core/scripts/bench-matmul.mjs`: times wasm BatchMatMul strategies on the
 * batched shapes training produces (attention [B,T,T]x[B,T,D] and its gradients, the rnn
 * seq2seq attention's batched mat-vecs), to choose the wrapper's split rule
 * (src/backend/kernels/BatchMatMul.ts). Strategies, alternated in rounds in one process:
 *   stock      tfjs-backend-wasm's own kernel, flags as given (its batched loop)
 *   wrap       whatever the registered wrapper does now (splitPays decides)
 *   split      explicit transposes, one XNNPACK product per batch item, items cut with wasm's
 *              Slice kernel (the wrapper before this rule: Slice copies its whole input)
 *   splitHeap  the same with items copied through heap views, results written into one output
 * Prints per shape the median ms per call of each and the load average. Needs `pnpm build`.
 * Env: MM_ROUNDS (default 7), MM_MS (time per strategy per round, default 60), MM_SHAPES (a
 * JSON list of [label, batch, m, k, n, transposeA, transposeB]), MM_JSON (write results there).
 */
import { loadavg } from 'node:os';

await import('@tensorflow/tfjs-backend-wasm');
const { tf, initBackend } = await import('../dist/index.js');
const stock = { ...tf.getKernel('BatchMatMul', 'wasm') };
await initBackend({ backend: 'wasm' });
const wrapped = tf.getKernel('BatchMatMul', 'wasm');
if (wrapped.kernelFunc === stock.kernelFunc) throw new Error('wrapper not registered');
const backend = tf.backend();
const transposeK = tf.getKernel('Transpose', 'wasm');

const ROUNDS = Number(process.env.MM_ROUNDS ?? 7);
const MS = Number(process.env.MM_MS ?? 60);

const swapLast = (x) => {
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return transposeK.kernelFunc({ inputs: { x }, backend, attrs: { perm } });
};
const free = (...ts) => { for (const t of ts) backend.disposeData(t.dataId); };

const strategies = {
  stock: (a, b, ta, tb) => free(stock.kernelFunc({ inputs: { a, b }, backend, attrs: { transposeA: ta, transposeB: tb } })),
  wrap: (a, b, ta, tb) => free(wrapped.kernelFunc({ inputs: { a, b }, backend, attrs: { transposeA: ta, transposeB: tb } })),
};

/** [label, batch, m, k, n, transposeA, transposeB]: the product is [batch, m, n]. */
const attention = (B, T, D) => [
  [`attn B${B} T${T} D${D} fwd Q.K^T`, B, T, D, T, false, true],
  [`attn B${B} T${T} D${D} fwd P.V`, B, T, T, D, false, false],
  [`attn B${B} T${T} D${D} bwd dS.K`, B, T, T, D, false, false],
  [`attn B${B} T${T} D${D} bwd dS^T.Q`, B, T, T, D, true, false],
  [`attn B${B} T${T} D${D} bwd dC.V^T`, B, T, D, T, false, true],
  [`attn B${B} T${T} D${D} bwd P^T.dC`, B, T, T, D, true, false],
];
const seq2seq = (B, S, H) => [
  [`s2s B${B} S${S} H${H} enc.h`, B, S, H, 1, false, false],
  [`s2s B${B} S${S} H${H} a.enc`, B, 1, S, H, false, false],
  [`s2s B${B} S${S} H${H} bwd a^T.dc`, B, S, 1, H, true, false],
];
const shapes = process.env.MM_SHAPES
  ? JSON.parse(process.env.MM_SHAPES)
  : [
      ...attention(64, 64, 32), // the bench transformer LM: batch 32 x 2 heads, seq 64, head dim 32
      ...attention(64, 64, 64),
      ...attention(32, 32, 16),
      ...attention(16, 128, 32),
      ...attention(8, 16, 8),
      ...seq2seq(64, 20, 256),
      ...seq2seq(64, 12, 128),
      [`tiny B6 4x5x6`, 6, 4, 5, 6, false, false],
      [`small B4 16x16x16`, 4, 16, 16, 16, false, false],
      [`B64 8x8x8`, 64, 8, 8, 8, false, false],
      [`B64 16x16x16`, 64, 16, 16, 16, false, false],
      [`B32 24x24x24`, 32, 24, 24, 24, false, false],
      [`B64 20x20x20`, 64, 20, 20, 20, false, false],
      [`B16 16x32x16`, 16, 16, 32, 16, false, false],
      [`B16 2x64x64`, 16, 2, 64, 64, false, false],
      [`B16 64x64x2`, 16, 64, 64, 2, false, false],
      [`B64 50x512x1 mat-vec`, 64, 50, 512, 1, false, false],
      [`B64 1x50x512 vec-mat`, 64, 1, 50, 512, false, false],
      [`B64 50x1x512 outer`, 64, 50, 1, 512, false, false],
      [`B8 128x128x128`, 8, 128, 128, 128, false, false],
      [`B4 256x256x256`, 4, 256, 256, 256, false, false],
    ];

function operand(batch, rows, cols, t) {
  return tf.randomUniform([batch, ...(t ? [cols, rows] : [rows, cols])], -1, 1);
}

/** ms per call: runs `fn` for about MS milliseconds. */
function time(fn) {
  fn();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < MS || n < 3) {
    fn();
    n++;
    t = performance.now();
  }
  return (t - t0) / n;
}
const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];

console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(['shape', 'batch', 'm', 'k', 'n', 'tA', 'tB', 'MACs/item', ...Object.keys(strategies).map((s) => `${s} ms`), 'split ms', 'splitHeap ms'].join('\t'));
const results = [];
for (const [label, B, m, k, n, ta, tb] of shapes) {
  const a = operand(B, m, k, ta);
  const b = operand(B, k, n, tb);
  const names = [...Object.keys(strategies), 'split', 'splitHeap'];
  const runs = Object.fromEntries(names.map((s) => [s, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of names) {
      const fn = s === 'split' ? () => splitOnce(a, b, ta, tb) : s === 'splitHeap' ? () => splitHeap(a, b, ta, tb) : () => strategies[s](a, b, ta, tb);
      runs[s].push(time(fn));
    }
  }
  const med = Object.fromEntries(names.map((s) => [s, median(runs[s])]));
  results.push({ label, B, m, k, n, ta, tb, macs: m * k * n, ...med });
  console.log([label, B, m, k, n, ta, tb, m * k * n, ...names.map((s) => med[s].toFixed(3))].join('\t'));
  tf.dispose([a, b]);
}
console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
if (process.env.MM_JSON) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(process.env.MM_JSON, JSON.stringify(results, null, 1));
}

/** The split path, reproduced: explicit transposes, per-item Slice + 2-D product, Concat. */
function splitOnce(a, b, ta, tb) {
  const a2 = ta ? swapLast(a) : a;
  const b2 = tb ? swapLast(b) : b;
  const [B, m, k] = a2.shape;
  const n = b2.shape[2];
  const slice = tf.getKernel('Slice', 'wasm');
  const concat = tf.getKernel('Concat', 'wasm');
  const temps = [];
  const parts = [];
  for (let i = 0; i < B; i++) {
    const ai = slice.kernelFunc({ inputs: { x: a2 }, backend, attrs: { begin: [i, 0, 0], size: [1, m, k] } });
    const bi = slice.kernelFunc({ inputs: { x: b2 }, backend, attrs: { begin: [i, 0, 0], size: [1, k, n] } });
    temps.push(ai, bi);
    parts.push(stock.kernelFunc({ inputs: { a: ai, b: bi }, backend, attrs: { transposeA: false, transposeB: false } }));
  }
  const out = concat.kernelFunc({ inputs: parts, backend, attrs: { axis: 0 } });
  free(...temps, ...parts, out);
  if (a2 !== a) free(a2);
  if (b2 !== b) free(b2);
}

/** One batch item as its own [1, r, c] tensor: a copy through views of the wasm heap. */
function item(x, i) {
  const [, r, c] = x.shape;
  const o = backend.makeOutput([1, r, c], x.dtype);
  backend.typedArrayFromHeap(o).set(backend.typedArrayFromHeap(x).subarray(i * r * c, (i + 1) * r * c));
  return o;
}

/** The split path with heap copies instead of the Slice kernel, written straight into one output. */
function splitHeap(a, b, ta, tb) {
  const a2 = ta ? swapLast(a) : a;
  const b2 = tb ? swapLast(b) : b;
  const [B, m] = a2.shape;
  const n = b2.shape[2];
  const out = backend.makeOutput([B, m, n], 'float32');
  for (let i = 0; i < B; i++) {
    const ai = item(a2, i);
    const bi = item(b2, i);
    const p = stock.kernelFunc({ inputs: { a: ai, b: bi }, backend, attrs: { transposeA: false, transposeB: false } });
    backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(p), i * m * n);
    free(ai, bi, p);
  }
  free(out);
  if (a2 !== a) free(a2);
  if (b2 !== b) free(b2);
}
