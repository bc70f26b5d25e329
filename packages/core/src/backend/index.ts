/**
 * Backend set-up. neurozoo trains on 'native' by default where it is available: the
 * optional `@neurozoo/native` addon, tfjs's cpu backend with multi-threaded C++ kernels
 * (GEMM, conv, LSTM steps, elementwise ops, reductions, Adam), faster than wasm on every
 * benchmark model (docs/training-speed.md). Without it (not built, browser,
 * NEUROZOO_NATIVE=0) the default falls back, with a one-line notice, to tfjs's wasm backend
 * (XNNPACK, SIMD; threads are off in Node) plus neurozoo's extra kernels that make training
 * work and run fast there. 'cpu' is the pure-JS reference. `@tensorflow/tfjs-node` is not
 * used: its install downloads libtensorflow, which offline machines cannot do.
 */

import { BackendError, OptionError } from '../errors.js';
import { tf } from '../tf.js';
import { activate } from './activate.js';
import { loadNative } from './native.js';
import { registerWasmKernels } from './kernels/index.js';

/** The backends neurozoo sets up. */
export type BackendName = 'native' | 'wasm' | 'cpu';

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * Backend to activate: 'native' (needs the built `@neurozoo/native` addon; fastest),
   * 'wasm' or 'cpu' (pure JS, slow, reference). Default: 'native' where it is available,
   * else 'wasm' after a one-line notice saying why.
   */
  backend?: BackendName;
  /** Where the fallback notice goes (default console.warn); only called when falling back. */
  notice?: (line: string) => void;
}

const BACKENDS: readonly BackendName[] = ['native', 'wasm', 'cpu'];

/** Loads the wasm backend package once; the import registers the backend and its kernels. */
let wasmModule: Promise<unknown> | undefined;

async function loadWasm(): Promise<void> {
  wasmModule ??= import('@tensorflow/tfjs-backend-wasm');
  try {
    await wasmModule;
  } catch (err) {
    wasmModule = undefined;
    throw new BackendError(
      `Could not load '@tensorflow/tfjs-backend-wasm': ${(err as Error).message.split('\n')[0]}. ` +
        `Install it, or call initBackend({ backend: 'cpu' }).`,
    );
  }
  registerWasmKernels();
}

let noticeShown = false;

/**
 * The default backend: 'native' when the addon loads, else 'wasm' (both are optional peer
 * dependencies of @neurozoo/core), else the pure-JS 'cpu'; one notice per process says why.
 */
async function defaultBackend(notice: (line: string) => void): Promise<BackendName> {
  const native = await loadNative();
  if (native.available) return 'native';
  const once = (line: string) => {
    if (!noticeShown) notice(line);
    noticeShown = true;
  };
  try {
    await loadWasm();
  } catch (err) {
    const wasmReason = (err as Error).message.replace(/\. Install it, or .*$/, '');
    once(`neurozoo: neither the native backend (${native.reason}) nor wasm (${wasmReason}) is available; training on cpu (pure JS), much slower.`);
    return 'cpu';
  }
  // In a browser there is nothing to build, so nothing to say.
  const inNode = typeof process !== 'undefined' && process.versions?.node !== undefined;
  if (inNode) once(`neurozoo: the native backend is unavailable (${native.reason}); training on wasm, several times slower.`);
  return 'wasm';
}

/**
 * Activates a tfjs backend and resolves with its name. Idempotent: calling it again with
 * the active backend does nothing; another name switches backends (tensors made before
 * the switch stay on the backend they were made on).
 *
 * @param options - `backend`: 'native', 'wasm' or 'cpu'; default 'native' where available, else 'wasm'.
 * @throws OptionError for a backend name other than 'native', 'wasm' or 'cpu'.
 * @throws BackendError when the requested backend cannot be loaded or initialised.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendName> {
  const name = options.backend ?? (await defaultBackend(options.notice ?? ((line) => console.warn(line))));
  if (!BACKENDS.includes(name)) {
    throw new OptionError(
      `Unknown backend ${JSON.stringify(name)}: expected one of ${BACKENDS.map((b) => `'${b}'`).join(', ')}.`,
    );
  }
  if (name === 'wasm') await loadWasm();
  if (name === 'native') {
    const native = await loadNative();
    if (!native.available) {
      throw new BackendError(`The native backend is unavailable: ${native.reason}. Use initBackend({ backend: 'wasm' }).`);
    }
  }
  if (tf.getBackend() !== name) {
    await activate(name, name === 'wasm' ? " Use initBackend({ backend: 'cpu' }) to train without wasm." : '');
  }
  return name;
}

/**
 * The active tfjs backend when it is one neurozoo sets up, else null (no backend
 * initialised yet, or another one such as webgl chosen through tf.setBackend).
 */
export function currentBackend(): BackendName | null {
  const name = tf.getBackend() as string | undefined;
  return BACKENDS.includes(name as BackendName) ? (name as BackendName) : null;
}

export { ensureLstmKernels, LSTM_STEP, LSTM_STEP_GRAD, type LstmStepAttrs, lstmStepBackward, lstmStepForward } from './kernels/lstmStep.js';
