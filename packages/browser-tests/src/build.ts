/** Builds what the browser serves: the harness page bundle (esbuild) and the digit demo (Vite). */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import { DEMO_DIR, DEMO_SRC, PACKAGE_DIR } from './paths.js';

/**
 * Bundles page/harness.ts for browsers into `outDir/harness.js` (with index.html beside it).
 * `@neurozoo/core/runtime` resolves through its `browser` condition to the web build, as in an
 * app. onnxruntime-web finds its .wasm files beside the bundle (the server serves its dist/).
 */
export async function bundlePage(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await esbuild({
    entryPoints: [join(PACKAGE_DIR, 'page', 'harness.ts')],
    outfile: join(outDir, 'harness.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'error',
  });
  copyFileSync(join(PACKAGE_DIR, 'page', 'index.html'), join(outDir, 'index.html'));
}

/** Builds examples/web-digits with its own vite.config.ts into {@link DEMO_DIR}. */
export async function buildDemo(): Promise<void> {
  const { build } = await import('vite');
  await build({ root: DEMO_SRC, logLevel: 'error', build: { outDir: DEMO_DIR, emptyOutDir: true } });
}
