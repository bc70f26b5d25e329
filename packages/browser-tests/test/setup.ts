/** vitest globalSetup: exports every registered model with its goldens, bundles the page, builds the demo. */
import { rmSync } from 'node:fs';
import { initBackend } from '@neurozoo/core';
import { buildDemo, bundlePage } from '../src/build.js';
import '../src/models.js';
import { MODELS_DIR, WWW_DIR } from '../src/paths.js';
import { exportHarnessModels } from '../src/registry.js';

export default async function setup(): Promise<void> {
  await initBackend();
  rmSync(WWW_DIR, { recursive: true, force: true });
  await bundlePage(WWW_DIR);
  await exportHarnessModels(MODELS_DIR);
  await buildDemo();
}
