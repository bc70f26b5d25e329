import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  // No clean: dist/ also holds the addon (scripts/build-addon.mjs copies it there after
  // tsup), and wiping it would break processes using it while a rebuild runs.
  clean: false,
  target: 'node20',
  shims: true,
});
