/**
 * The digit demo: draw on the canvas, classify with the exported MNIST MLP through
 * `@neurozoo/perceptron/runtime` (onnxruntime-web: WebGPU, else wasm), show the
 * probabilities, the device that ran and the latency. `?model=URL` picks another model.
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

const modelUrl = new URLSearchParams(location.search).get('model') ?? 'model.onnx';
let runs = 0;
clear();
// One wasm thread: onnxruntime-web starts its pthread workers from the module that imports it,
// which here is this page's chunk; an MLP this small gains nothing from threads anyway.
(await loadOrtWeb('default')).env.wasm.numThreads = 1;
const clf = await OnnxClassifier.load(modelUrl).catch((e: Error) => {
  meta.textContent = `Cannot load ${modelUrl}: ${e.message}`;
  throw e;
});
const fell = clf.session.fallbacks.map((f) => `${f.device}: ${f.reason}`).join('; ');
meta.textContent = `ready on ${clf.session.provider}${fell ? ` (fell back from ${fell})` : ''}`;
document.body.dataset.provider = clf.session.provider;

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
