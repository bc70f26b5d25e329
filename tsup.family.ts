/** The build of a family package: its main entry and its tfjs-free `./runtime` entry, ESM + CJS + d.ts. */
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'runtime/index': 'src/runtime/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
