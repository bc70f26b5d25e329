import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * In `vite dev`, serves `/model.onnx` and `/model.int8.onnx` from `public/` or else from
 * `out/mlp-mnist/` (written by `npm run main` and `neurozoo export out/mlp-mnist --quantize int8`).
 */
const here = fileURLToPath(new URL('.', import.meta.url));

function trainedModel(): Plugin {
  return {
    name: 'neurozoo-trained-model',
    configureServer(server) {
      for (const file of ['model.onnx', 'model.int8.onnx']) {
        const trained = resolve(here, '../../out/mlp-mnist', file);
        server.middlewares.use(`/${file}`, (_req, res, next) => {
          if (existsSync(resolve(here, 'public', file)) || !existsSync(trained)) return next();
          res.setHeader('Content-Type', 'application/octet-stream');
          res.end(readFileSync(trained));
        });
      }
    },
  };
}

// COOP/COEP make the page cross-origin isolated, which onnxruntime-web's wasm threads need.
const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  base: './',
  plugins: [trainedModel()],
  server: { headers },
  preview: { headers },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
});
