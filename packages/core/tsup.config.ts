import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'runtime/node': 'src/runtime/node.ts',
    'runtime/web': 'src/runtime/web.ts',
    'testing/index': 'src/testing/index.ts',
    'serve/index': 'src/serve/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
