/**
 * The digit demo: draw on the canvas, classify with the exported MNIST MLP through
 * `@neurozoo/perceptron/runtime` (onnxruntime-web: WebGPU, else wasm), show the
 * probabilities, the device that ran and the latency. A toggle switches between the fp32 model
 * and its int8 quantization (`neurozoo export --quantize int8`) to compare size and latency.
 * `?model=URL` and `?int8=URL` pick other files.
 */
import { loadOrtWeb } from '@neurozoo/core/runtime';
import { OnnxClassifier } from '@neurozoo/perceptron/runtime';
import { downscale, normalize } from './preprocess.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const pad = $<HTMLCanvasElement>('pad');
const ctx = pad.getContext('2d', { willReadFrequently: true })!;
const digit = $('digit');
const probs = $('probs');
const meta = $('meta');

function clear(): void {
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, pad.width, pad.height);
  digit.textContent = '?';
  probs.replaceChildren();
}

function show(p: Float32Array, best: number): void {
  probs.replaceChildren(
    ...Array.from(p, (v, k) => {
      const row = document.createElement('section');
      row.className = k === best ? 'bar top' : 'bar';
      row.innerHTML = `<span>${k}</span><div style="width:${(v * 200).toFixed(1)}px"></div><span>${(v * 100).toFixed(1)}%</span>`;
      return row;
    }),
  );
}

const params = new URLSearchParams(location.search);
const urls = { fp32: params.get('model') ?? 'model.onnx', int8: params.get('int8') ?? 'model.int8.onnx' };
type Variant = keyof typeof urls;
const sizes: Partial<Record<Variant, number>> = {};
let runs = 0;
clear();
// One wasm thread: onnxruntime-web starts its pthread workers from the module that imports it,
// which here is this page's chunk; an MLP this small gains nothing from threads anyway.
(await loadOrtWeb('default')).env.wasm.numThreads = 1;

/** Loads one variant's file (fetched here, so the page can show its size) into a classifier. */
async function load(variant: Variant): Promise<OnnxClassifier> {
  const response = await fetch(urls[variant]);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  sizes[variant] = bytes.length;
  return OnnxClassifier.load(bytes);
}

let clf: OnnxClassifier;
/** Switches to `variant`, releasing the classifier it replaces; the page says which file runs where. */
async function use(variant: Variant): Promise<void> {
  const next = await load(variant).catch((e: Error) => {
    meta.textContent = `Cannot load ${urls[variant]}: ${e.message}`;
    throw e;
  });
  await clf?.release();
  clf = next;
  const fell = clf.session.fallbacks.map((f) => `${f.device}: ${f.reason}`).join('; ');
  meta.textContent = `ready on ${clf.session.provider}${fell ? ` (fell back from ${fell})` : ''}`;
  const fp32 = sizes.fp32;
  const ratio = variant !== 'fp32' && fp32 ? `, ${((100 * (sizes[variant] ?? 0)) / fp32).toFixed(1)}% of fp32` : '';
  $('size').textContent = `${variant}: ${(sizes[variant] ?? 0).toLocaleString('en')} bytes${ratio}`;
  Object.assign(document.body.dataset, { provider: clf.session.provider, variant });
}

await use('fp32');
$<HTMLSelectElement>('variant').addEventListener('change', (e) => void use((e.target as HTMLSelectElement).value as Variant));

async function classify(): Promise<void> {
  const image = normalize(downscale(ctx.getImageData(0, 0, pad.width, pad.height).data, pad.width, pad.width / 28));
  if (!image) return;
  const t0 = performance.now();
  const { classes, probabilities, provider } = await clf.classify(image, 1);
  const ms = performance.now() - t0;
  digit.textContent = String(classes[0]);
  show(probabilities, classes[0]);
  meta.textContent = `${provider} · ${ms.toFixed(1)} ms`;
  digit.dataset.run = String(++runs);
}

let drawing = false;
pad.addEventListener('pointerdown', (e) => {
  drawing = true;
  pad.setPointerCapture(e.pointerId);
  ctx.beginPath();
  ctx.moveTo(e.offsetX, e.offsetY);
});
pad.addEventListener('pointermove', (e) => {
  if (!drawing) return;
  Object.assign(ctx, { lineWidth: 20, lineCap: 'round', lineJoin: 'round', strokeStyle: '#fff' });
  ctx.lineTo(e.offsetX, e.offsetY);
  ctx.stroke();
});
pad.addEventListener('pointerup', () => {
  drawing = false;
  void classify();
});
$('classify').addEventListener('click', () => void classify());
$('clear').addEventListener('click', clear);
