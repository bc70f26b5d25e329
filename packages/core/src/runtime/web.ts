/**
 * `@neurozoo/core/runtime` for browsers (and any non-Node bundler target): onnxruntime-web,
 * devices webgpu → wasm. Imports no tfjs and no Node built-ins, so bundles stay small.
 *
 * @example
 * ```ts
 * import { createSession, argmax } from '@neurozoo/core/runtime';
 * const session = await createSession('/models/mlp.onnx'); // webgpu, else wasm
 * const { probs } = await session.run({ data: pixels, dims: [1, 784] });
 * console.log(session.provider, session.fallbacks, argmax(probs.data as Float32Array, probs.dims));
 * ```
 */
import * as ortWeb from 'onnxruntime-web';
import { OnnxFormatError } from '../errors.js';
import { capitalize, createSessionOn, type LoadedModel, messageOf, type Platform } from './common.js';
import { onnxFormatProblem } from './format.js';
import type { OrtModule } from './ort.js';
import type { CreateSessionOptions, Device, ZooSession } from './types.js';

export { onnxFormatProblem } from './format.js';
export { argmax, softmax } from './tensors.js';
export type * from './types.js';

function checked(bytes: Uint8Array, subject: string): LoadedModel {
  const problem = onnxFormatProblem(bytes, true);
  if (problem) throw new OnnxFormatError(`${capitalize(subject)} is not an ONNX model: ${problem}`);
  return { model: bytes, subject };
}

/** Node's `fs`, reached without a static import (onnxruntime-web also runs in Node, e.g. in tests). */
function nodeFs(): { readFileSync(path: string): Uint8Array } | undefined {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } })
    .process;
  if (!proc?.versions?.node) return undefined;
  return proc.getBuiltinModule?.('fs') as { readFileSync(path: string): Uint8Array } | undefined;
}

async function loadModel(model: Uint8Array | ArrayBuffer | string | URL): Promise<LoadedModel> {
  if (model instanceof Uint8Array) return checked(model, `the model buffer (${model.length} bytes)`);
  if (model instanceof ArrayBuffer) return checked(new Uint8Array(model), `the model buffer (${model.byteLength} bytes)`);
  const href = String(model);
  const fs = nodeFs();
  if (fs && !/^(https?|blob|data):/i.test(href)) {
    const path = href.startsWith('file:') ? decodeURIComponent(new URL(href).pathname) : href;
    let bytes: Uint8Array;
    try {
      bytes = fs.readFileSync(path);
    } catch (e) {
      throw new OnnxFormatError(`Cannot read ONNX model file '${path}': ${messageOf(e)}`);
    }
    return checked(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), `file '${path}'`);
  }
  let response: Response;
  try {
    response = await fetch(href);
  } catch (e) {
    throw new OnnxFormatError(`Cannot fetch ONNX model '${href}': ${messageOf(e)}`);
  }
  if (!response.ok) throw new OnnxFormatError(`Cannot fetch ONNX model '${href}': HTTP ${response.status} ${response.statusText}`);
  return checked(new Uint8Array(await response.arrayBuffer()), `the model at '${href}'`);
}

function hasWebGpu(): boolean {
  return typeof navigator !== 'undefined' && 'gpu' in navigator && Boolean((navigator as { gpu?: unknown }).gpu);
}

/** The web platform: onnxruntime-web with webgpu and wasm ('cpu' runs on the wasm EP). */
export const webPlatform: Platform = {
  ort: ortWeb as unknown as OrtModule,
  defaultDevices: ['webgpu', 'wasm'],
  provider(device: Device) {
    if (device === 'cuda') {
      return { skip: "CUDA needs onnxruntime-node (the Node entry of @neurozoo/core/runtime); here use 'webgpu' or 'wasm'" };
    }
    if (device === 'webgpu' && !hasWebGpu()) {
      return { skip: 'WebGPU is not available here (no navigator.gpu: it needs a WebGPU-enabled browser and a secure context)' };
    }
    if (device === 'cpu') return { ep: 'wasm', reportAs: 'wasm' };
    return { ep: device };
  },
  explain: (_device: Device, error: unknown) => messageOf(error),
  load: loadModel,
};

/**
 * Loads an ONNX model (URL, `Uint8Array` or `ArrayBuffer`; in Node also a path) into
 * onnxruntime-web on the first device of `options.devices` that works (default `['webgpu', 'wasm']`).
 * Throws OnnxFormatError for bytes that are not ONNX, BackendError when no device works.
 */
export function createSession(
  model: Uint8Array | ArrayBuffer | string | URL,
  options?: CreateSessionOptions,
): Promise<ZooSession> {
  return createSessionOn(webPlatform, model, options);
}
