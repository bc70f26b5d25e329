/** Where the harness keeps what it builds: ignored, reused between runs where that is safe. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's folder. */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Cache of slow artefacts (the trained MNIST MLP); safe to delete. */
export const CACHE_DIR = join(PACKAGE_DIR, 'node_modules', '.cache', 'neurozoo-browser-tests');
/** Rebuilt on every run: the page bundle, exported models and goldens, the built demo. */
export const WWW_DIR = join(CACHE_DIR, 'www');
/** Exported models, one folder per registered name. */
export const MODELS_DIR = join(WWW_DIR, 'models');
/** The digit demo, built with Vite from examples/web-digits. */
export const DEMO_SRC = join(PACKAGE_DIR, '..', '..', 'examples', 'web-digits');
export const DEMO_DIR = join(CACHE_DIR, 'web-digits');
/** onnxruntime-web's dist folder (wasm binaries the page bundle fetches beside itself). */
export const ORT_DIST = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
