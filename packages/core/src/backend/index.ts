/**
 * Backend set-up. neurozoo trains on tfjs's wasm backend by default (XNNPACK, SIMD; threads
 * are off in Node) with extra kernels that make training work and run fast there; on
 * request on 'native' (the optional `@neurozoo/native` addon: tfjs's cpu backend with C++
 * GEMM/conv/Adam kernels on 2 threads, see docs/training-speed.md) or on the pure-JS cpu
 * backend. 'native' is opt-in until it is faster than wasm on every family: measured so far
 * it is slower for LSTMs and attention, whose many small ops run in plain JS on the cpu
 * backend. `@tensorflow/tfjs-node` is not used: its install downloads libtensorflow,
 * which offline machines cannot do.
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
   * Backend to activate: 'wasm' (the default), 'native' (needs the built `@neurozoo/native`
   * addon; fastest for dense and convolutional nets) or 'cpu' (pure JS, slow, reference).
   */
  backend?: BackendName;
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
      `Could not load '@tensorflow/tfjs-backend-wasm': ${(err as Error).message}. ` +
        `Install it, or call initBackend({ backend: 'cpu' }).`,
    );
  }
  registerWasmKernels();
}

/**
 * Activates a tfjs backend and resolves with its name. Idempotent: calling it again with
 * the active backend does nothing; another name switches backends (tensors made before
 * the switch stay on the backend they were made on).
 *
 * @param options - `backend`: 'wasm' (default), 'native' or 'cpu'.
 * @throws OptionError for a backend name other than 'native', 'wasm' or 'cpu'.
 * @throws BackendError when the requested backend cannot be loaded or initialised.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendName> {
  const name = options.backend ?? 'wasm';
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
