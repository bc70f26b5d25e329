/**
 * The digit demo (examples/web-digits, built with Vite) in Chromium with the harness's
 * MNIST MLP: real MNIST test images painted onto the canvas are classified as their labels,
 * on WebGPU, and on wasm when the browser has no WebGPU; then the same with the int8 model the
 * page's toggle switches to.
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist } from '@neurozoo/datasets';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertChromium, type Chromium, launchChromium } from '../src/chromium.js';
import { MNIST_MLP } from '../src/models.js';
import { CACHE_DIR, DEMO_DIR, MODELS_DIR, PACKAGE_DIR } from '../src/paths.js';
import { type StaticServer, serveStatic } from '../src/server.js';

const SAMPLES = 8;
/** The harness's int8 quantization of the MNIST MLP, served as the page's model.int8.onnx. */
const INT8_FILE = join(MODELS_DIR, `${MNIST_MLP}-int8`, 'model.onnx');
const { test } = loadMnist();
/** docs/web-digits.png, the screenshot in the root README (rewritten with UPDATE_SCREENSHOT=1). */
const SCREENSHOT = join(PACKAGE_DIR, '..', '..', 'docs', 'web-digits.png');

/** Paints MNIST test image `i` onto the 280x280 canvas, 10x10 px per pixel, and clicks Classify. */
async function paintAndClassify(page: Page, i: number, run: number): Promise<string> {
  const pixels = Array.from(test.x.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255));
  await page.evaluate((px) => {
    const ctx = (document.getElementById('pad') as HTMLCanvasElement).getContext('2d')!;
    px.forEach((v, k) => {
      ctx.fillStyle = `rgb(${v},${v},${v})`;
      ctx.fillRect((k % 28) * 10, Math.floor(k / 28) * 10, 10, 10);
    });
  }, pixels);
  await page.click('#classify');
  await page.waitForSelector(`#digit[data-run="${run}"]`, { timeout: 10_000 });
  return (await page.textContent('#digit')) ?? '';
}

it("finds Debian's Chromium (the suite below fails without it)", () => assertChromium());

describe('in Chromium', () => {
  let chrome: Chromium;
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveStatic([DEMO_DIR], { '/model.onnx': join(MODELS_DIR, MNIST_MLP, 'model.onnx'), '/model.int8.onnx': INT8_FILE });
    chrome = await launchChromium();
  });
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  describe.each([
    ['webgpu', false],
    ['wasm', true],
  ] as const)('web-digits on %s', (provider, hideWebGpu) => {
    let page: Page;
    beforeAll(async () => {
      page = await chrome.context.newPage();
      if (hideWebGpu) await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined }));
      await page.goto(`${server.url}/index.html`);
      await page.waitForSelector('body[data-provider]', { timeout: 20_000 });
    });
    afterAll(() => page?.close());

    it(`loads the model on ${provider}`, async () => {
      expect(await page.getAttribute('body', 'data-provider')).toBe(provider);
    });

    it(`classifies ${SAMPLES} painted MNIST test digits as their labels`, async () => {
      const shown: string[] = [];
      for (let i = 0; i < SAMPLES; i++) shown.push(await paintAndClassify(page, i, i + 1));
      expect(shown).toEqual(Array.from(test.y.subarray(0, SAMPLES), String));
      expect(await page.textContent('#meta')).toMatch(new RegExp(`^${provider} · \\d+\\.\\d ms$`));
      expect(await page.locator('#probs .bar').count()).toBe(10);
    });

    it('classifies a digit drawn with the mouse (the screenshot, on webgpu)', async () => {
      await page.click('#clear');
      const box = (await page.locator('#pad').boundingBox())!;
      const stroke = async (points: Array<[number, number]>) => {
        await page.mouse.move(box.x + points[0][0], box.y + points[0][1]);
        await page.mouse.down();
        for (const [x, y] of points.slice(1)) await page.mouse.move(box.x + x, box.y + y, { steps: 8 });
        await page.mouse.up();
      };
      await stroke([[80, 60], [200, 60], [120, 230]]); // a 7
      await page.waitForSelector(`#digit[data-run="${SAMPLES + 1}"]`, { timeout: 10_000 });
      expect(await page.textContent('#digit')).toBe('7');
      if (hideWebGpu) return;
      const shot = join(CACHE_DIR, 'web-digits.png');
      mkdirSync(CACHE_DIR, { recursive: true });
      await page.setViewportSize({ width: 760, height: 470 });
      await page.screenshot({ path: shot });
      if (process.env.UPDATE_SCREENSHOT === '1' || !existsSync(SCREENSHOT)) {
        mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
        copyFileSync(shot, SCREENSHOT);
      }
    });

    it(`switches to the int8 model (<= 30% of the fp32 bytes) and classifies the same ${SAMPLES} digits on ${provider}`, async () => {
      await page.selectOption('#variant', 'int8');
      await page.waitForSelector('body[data-variant="int8"]', { timeout: 20_000 });
      expect(await page.getAttribute('body', 'data-provider')).toBe(provider);
      const [, bytes, percent] = (await page.textContent('#size'))?.match(/^int8: ([\d,]+) bytes, ([\d.]+)% of fp32$/) ?? [];
      expect(Number(bytes?.replaceAll(',', ''))).toBe(statSync(INT8_FILE).size);
      expect(Number(percent)).toBeLessThanOrEqual(30); // measured: 104,948 of 407,859 bytes (25.7%)
      const shown: string[] = [];
      for (let i = 0; i < SAMPLES; i++) shown.push(await paintAndClassify(page, i, SAMPLES + 2 + i));
      expect(shown).toEqual(Array.from(test.y.subarray(0, SAMPLES), String));
      expect(await page.textContent('#meta')).toMatch(new RegExp(`^${provider} · \\d+\\.\\d ms$`));
    });
  });
});
