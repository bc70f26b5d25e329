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
import { OnnxFormatError, OptionError } from '../errors.js';
import { ClassifierModel } from './classifier.js';
import { checkedBytes, createSessionOn, type LoadedModel, messageOf, type Platform } from './common.js';
import type { OrtModule } from './ort.js';
import type { CreateSessionOptions, Device, ModelSource, ZooSession } from './types.js';

export { onnxFormatProblem } from './format.js';
export { argmax, softmax } from './tensors.js';
export { checkSampling, pickToken, type SamplingOptions, seededRandom } from './sampling.js';
export { beamSearch, DEFAULT_SEARCH_TOKENS, type Decoded, type DecoderStep, greedySearch, type SearchTokens, type StepResult } from './search.js';
export type * from './types.js';
export * from './kit.js';

/** Node's `fs`, reached without a static import (onnxruntime-web also runs in Node, e.g. in tests). */
function nodeFs(): { readFileSync(path: string): Uint8Array } | undefined {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } })
    .process;
  if (!proc?.versions?.node) return undefined;
  return proc.getBuiltinModule?.('fs') as { readFileSync(path: string): Uint8Array } | undefined;
}

async function loadModel(model: ModelSource): Promise<LoadedModel> {
  if (model instanceof Uint8Array) return checkedBytes(model, `the model buffer (${model.length} bytes)`);
  if (model instanceof ArrayBuffer) return checkedBytes(new Uint8Array(model), `the model buffer (${model.byteLength} bytes)`);
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
    return checkedBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), `file '${path}'`);
  }
  let response: Response;
  try {
    response = await fetch(href);
  } catch (e) {
    throw new OnnxFormatError(`Cannot fetch ONNX model '${href}': ${messageOf(e)}`);
  }
  if (!response.ok) throw new OnnxFormatError(`Cannot fetch ONNX model '${href}': HTTP ${response.status} ${response.statusText}`);
  return checkedBytes(new Uint8Array(await response.arrayBuffer()), `the model at '${href}'`);
}

function hasWebGpu(): boolean {
  return typeof navigator !== 'undefined' && 'gpu' in navigator && Boolean((navigator as { gpu?: unknown }).gpu);
}

/** The web platform: onnxruntime-web with webgpu and wasm ('cpu' runs on the wasm EP). */
const webPlatform: Platform = {
  ort: ortWeb as unknown as OrtModule,
  defaultDevices: ['webgpu', 'wasm'],
  elsewhere: { cuda: "CUDA needs onnxruntime-node (the Node entry of @neurozoo/core/runtime); here use 'webgpu' or 'wasm'" },
  provider(device: Device) {
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
 * Which onnxruntime-web build runs a session. `'default'` is `onnxruntime-web` (wasm + WebGPU
 * through JSEP, the most used build); `'webgpu'` is `onnxruntime-web/webgpu` (wasm + the native
 * WebGPU EP, which has LSTM/GRU on the GPU where JSEP puts them on the CPU); `'auto'` picks
 * `'webgpu'` for models with recurrent ops (LSTM, GRU, RNN) when 'webgpu' is among the devices,
 * `'default'` otherwise.
 */
export type WebBundle = 'auto' | 'default' | 'webgpu';

/** Options of the web {@link createSession}: the shared options plus the onnxruntime-web build. */
export interface WebSessionOptions extends CreateSessionOptions {
  /** onnxruntime-web build (default `'auto'`, see {@link WebBundle}). */
  bundle?: WebBundle;
}

/** Op types that JSEP runs on the CPU (and got wrong once, see RUNTIME.md): they take the native WebGPU EP. */
const RECURRENT_OPS = new Set(['LSTM', 'GRU', 'RNN']);

/** Length-delimited fields `field` of the protobuf message in `bytes[start, end)`, as [start, end) ranges. */
function subMessages(bytes: Uint8Array, start: number, end: number, field: number): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (let b = 0x80; b & 0x80; scale *= 128) {
      b = bytes[start++];
      value += (b & 0x7f) * scale;
    }
    return value;
  };
  while (start < end) {
    const tag = varint();
    const wire = tag % 8;
    if (wire === 0) varint();
    else if (wire === 1) start += 8;
    else if (wire === 5) start += 4;
    else if (wire === 2) {
      const len = varint();
      if (Math.floor(tag / 8) === field) found.push([start, start + len]);
      start += len;
    } else return found; // groups: not in ONNX
  }
  return found;
}

/** Op types of the main graph's nodes (ModelProto.graph = 7, GraphProto.node = 1, NodeProto.op_type = 4). */
export function onnxOpTypes(bytes: Uint8Array): Set<string> {
  const ops = new Set<string>();
  const text = new TextDecoder();
  for (const [gs, ge] of subMessages(bytes, 0, bytes.length, 7)) {
    for (const [ns, ne] of subMessages(bytes, gs, ge, 1)) {
      for (const [os, oe] of subMessages(bytes, ns, ne, 4)) ops.add(text.decode(bytes.subarray(os, oe)));
    }
  }
  return ops;
}

/**
 * The onnxruntime-web module of one build (the `'webgpu'` one is imported on first use), e.g. to
 * set `env.wasm.wasmPaths` or `env.wasm.numThreads` before the first session.
 */
export async function loadOrtWeb(bundle: Exclude<WebBundle, 'auto'> = 'default'): Promise<typeof ortWeb> {
  return bundle === 'webgpu' ? await import('onnxruntime-web/webgpu') : ortWeb;
}

/** The build `bundle` resolves to for this model and device list. */
export function pickBundle(bundle: WebBundle, model: Uint8Array, devices: readonly Device[]): Exclude<WebBundle, 'auto'> {
  if (bundle !== 'auto') return bundle;
  if (!devices.includes('webgpu')) return 'default';
  for (const op of onnxOpTypes(model)) if (RECURRENT_OPS.has(op)) return 'webgpu';
  return 'default';
}

/**
 * Loads an ONNX model (URL, `Uint8Array` or `ArrayBuffer`; in Node also a path) into
 * onnxruntime-web on the first device of `options.devices` that works (default `['webgpu', 'wasm']`),
 * on the build `options.bundle` picks (see {@link WebBundle}).
 * Throws OnnxFormatError for bytes that are not ONNX, BackendError when no device works.
 */
export async function createSession(
  model: ModelSource,
  options: WebSessionOptions = {},
): Promise<ZooSession> {
  const { bundle = 'auto', ...rest } = options;
  if (!['auto', 'default', 'webgpu'].includes(bundle)) {
    throw new OptionError(`Unknown bundle '${String(bundle)}': valid bundles are 'auto', 'default', 'webgpu'`);
  }
  const loaded = await loadModel(model);
  const bytes = loaded.model as Uint8Array;
  const devices = Array.isArray(rest.devices) ? rest.devices : webPlatform.defaultDevices; // bad lists: createSessionOn says why
  const ort = await loadOrtWeb(pickBundle(bundle, bytes, devices));
  return createSessionOn({ ...webPlatform, ort: ort as unknown as OrtModule, load: async () => loaded }, model, rest);
}

/** A classifier over any single-input [batch, features] -> [batch, classes] ONNX model (MLP, perceptron, DBN, ...). */
export class OnnxClassifier extends ClassifierModel {
  /** Opens the model (bytes, a path, or a URL) on the first device of `options.devices` that works. */
  static async load(model: ModelSource, options?: WebSessionOptions): Promise<OnnxClassifier> {
    return new OnnxClassifier(await createSession(model, options));
  }
}
