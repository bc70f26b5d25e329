/**
 * `pipeline('classify', ...)` of `@neurozoo/perceptron/runtime`, bundled for the browser, in
 * Chromium: the MNIST MLP's classes and probabilities for its golden test digits equal tfjs's on
 * WebGPU and on wasm, and a device the browser cannot run is skipped with its reason.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifyResult } from '../page/harness.js';
import { type Chromium, launchChromium } from '../src/chromium.js';
import { MODELS_DIR, ORT_DIST, WWW_DIR } from '../src/paths.js';
import { readGoldens } from '../src/registry.js';
import { type StaticServer, serveStatic } from '../src/server.js';

const MNIST_MLP = 'mnist-mlp';
const golden = readGoldens(MODELS_DIR).find((g) => g.name === MNIST_MLP)!;

describe("pipeline('classify') in Chromium", () => {
  let chrome: Chromium;
  let server: StaticServer;
  let page: Page;
  beforeAll(async () => {
    server = await serveStatic([WWW_DIR, ORT_DIST]);
    chrome = await launchChromium();
    page = await chrome.context.newPage();
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => 'harness' in globalThis, null, { timeout: 20_000 });
  });
  afterAll(async () => {
    await page?.close();
    await chrome?.close();
    await server?.close();
  });

  const classify = (devices: string[]): Promise<ClassifyResult> =>
    page.evaluate(([n, d]) => (globalThis as any).harness.classify(n, d), [MNIST_MLP, devices] as const);

  it.each(['webgpu', 'wasm'])('on %s: the classes and probabilities tfjs gives the golden digits', async (device) => {
    const r = await classify([device]);
    expect(r.device, r.fallbacks.join('; ')).toBe(device);
    expect(r.fallbacks).toEqual([]);
    const want = golden.outputs[0];
    expect(want.dims).toEqual([4, 10]);
    expect(r.probabilities).toHaveLength(40);
    r.probabilities.forEach((p, i) => expect(Math.abs(p - want.data[i])).toBeLessThanOrEqual(golden.tolerance[0]));
    const argmax = (row: number) => want.data.slice(10 * row, 10 * row + 10).reduce((best, v, k, a) => (v > a[best] ? k : best), 0);
    expect(r.classIds).toEqual([0, 1, 2, 3].map(argmax));
  });

  it("skips 'cuda' with the reason and runs on wasm", async () => {
    const r = await classify(['cuda', 'wasm']);
    expect(r.device).toBe('wasm');
    expect(r.fallbacks).toEqual(["cuda: CUDA needs onnxruntime-node (the Node entry of @neurozoo/core/runtime); here use 'webgpu' or 'wasm'"]);
  });
});
