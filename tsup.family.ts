/**
 * The build of a workspace package: ESM + CJS + d.ts for Node 20. The default export builds a
 * family (its main entry and its tfjs-free `./runtime` entry); {@link packageBuild} builds other
 * entries with the same settings.
 */
import { defineConfig, type Options } from 'tsup';

/** The shared build over `entry`, with `overrides` (e.g. `clean: false`) on top. */
export function packageBuild(entry: Record<string, string>, overrides: Options = {}) {
  return defineConfig({ entry, format: ['esm', 'cjs'], splitting: true, shims: true, dts: true, sourcemap: true, clean: true, target: 'node20', ...overrides });
}

export default packageBuild({ index: 'src/index.ts', 'runtime/index': 'src/runtime/index.ts' });
