/**
 * The onnxruntime builds a Node process can use, loaded on first use. onnxruntime-node (native
 * cpu/cuda/webgpu) is an optional peer dependency: a server installs it, a browser app or a
 * wasm-only deployment does not. onnxruntime-web (wasm) is a dependency of @neurozoo/core and
 * runs in Node too, so the runtime always has somewhere to run.
 */
import { BackendError } from '../errors.js';
import { messageOf } from './common.js';
import type { OrtModule } from './ort.js';

/** onnxruntime-node's module-level API, with the backend listing used to check CUDA. */
export interface OrtNodeModule extends OrtModule {
  listSupportedBackends?: () => Array<{ name: string; bundled?: boolean }>;
}

/** A loaded onnxruntime build, or why it could not be loaded. */
export type OrtLoad<M> = { ort: M } | { problem: string };

const NOT_INSTALLED = /Cannot find (package|module)|ERR_MODULE_NOT_FOUND|MODULE_NOT_FOUND/;

function describeFailure(name: string, error: unknown, hint: string): string {
  const message = messageOf(error);
  return NOT_INSTALLED.test(message) && message.includes(name)
    ? `${name} is not installed (${hint})`
    : `${name} failed to load: ${message}`;
}

let nodeLoad: Promise<OrtLoad<OrtNodeModule>> | undefined;
let webLoad: Promise<OrtLoad<OrtModule>> | undefined;

/** onnxruntime-node, or why it is unavailable ("not installed" with the install command). */
export function loadOrtNode(): Promise<OrtLoad<OrtNodeModule>> {
  nodeLoad ??= import('onnxruntime-node').then(
    (m) => ({ ort: m as unknown as OrtNodeModule }),
    (e: unknown) => ({
      problem: describeFailure('onnxruntime-node', e, "`npm install onnxruntime-node` runs models natively on 'cpu' and 'cuda'"),
    }),
  );
  return nodeLoad;
}

/** onnxruntime-web (its wasm execution provider runs in Node), or why it is unavailable. */
export function loadOrtWebInNode(): Promise<OrtLoad<OrtModule>> {
  webLoad ??= import('onnxruntime-web').then(
    (m) => ({ ort: m as unknown as OrtModule }),
    (e: unknown) => ({ problem: describeFailure('onnxruntime-web', e, '`npm install onnxruntime-web` runs models on wasm') }),
  );
  return webLoad;
}

/**
 * The CPU runtime for checks that need no device choice (parity in verifyOnnx): onnxruntime-node's
 * 'cpu' provider when it is installed, else onnxruntime-web's 'wasm'.
 */
export async function cpuRuntime(): Promise<{ ort: OrtModule; executionProvider: 'cpu' | 'wasm' }> {
  const native = await loadOrtNode();
  if ('ort' in native) return { ort: native.ort, executionProvider: 'cpu' };
  const web = await loadOrtWebInNode();
  if ('ort' in web) return { ort: web.ort, executionProvider: 'wasm' };
  throw new BackendError(`No onnxruntime is available: ${native.problem}; ${web.problem}`);
}
