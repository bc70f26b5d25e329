/**
 * `@neurozoo/core/runtime` for Node: devices cuda, cpu on onnxruntime-node (and webgpu where
 * it finds an adapter), then wasm on onnxruntime-web. onnxruntime-node is an optional peer
 * dependency, loaded on first use: without it sessions run on 'wasm' and record why in
 * `session.fallbacks`. Imports no tfjs.
 *
 * @example
 * ```ts
 * import { createSession, argmax } from '@neurozoo/core/runtime';
 * const session = await createSession('mlp.onnx', { devices: ['cuda', 'cpu'] });
 * const { probs } = await session.run({ data: pixels, dims: [1, 784] });
 * console.log(session.provider, argmax(probs.data as Float32Array, probs.dims));
 * ```
 */
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OnnxFormatError, OptionError } from '../errors.js';
import { ClassifierModel } from './classifier.js';
import { capitalize, checkedBytes, createSessionOn, type LoadedModel, messageOf, type Platform } from './common.js';
import { loadOrtNode, loadOrtWebInNode, type OrtNodeModule } from './node-ort.js';
import { onnxFormatProblem } from './format.js';
import type { CreateSessionOptions, Device, ModelSource, ZooSession } from './types.js';

export { onnxFormatProblem } from './format.js';
export { argmax, softmax } from './tensors.js';
export { checkSampling, pickToken, type SamplingOptions, seededRandom } from './sampling.js';
export { beamSearch, DEFAULT_SEARCH_TOKENS, type Decoded, type DecoderStep, greedySearch, type SearchTokens, type StepResult } from './search.js';
export type * from './types.js';
export * from './kit.js';

/** How to get onnxruntime-node's CUDA execution provider, which its npm package does not bundle. */
export const CUDA_INSTALL_HINT =
  "onnxruntime-node's CUDA provider libraries are not installed (its postinstall download is skipped in this workspace). " +
  'Reinstall onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12, e.g. `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` ' +
  '(pnpm: set `onnxruntime-node: true` under allowBuilds, then `ONNXRUNTIME_NODE_INSTALL=cuda12 pnpm rebuild onnxruntime-node`); ' +
  'it also needs CUDA 12 and cuDNN 9 on the library path.';

const HEAD_BYTES = 1 << 16;

/** Folder of onnxruntime-node's native binaries for this platform, or undefined if not found. */
function ortBinDir(): string | undefined {
  try {
    const here = import.meta.url; // tsup's shims give CommonJS builds an import.meta.url too
    const entry = createRequire(here).resolve('onnxruntime-node');
    return join(dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined;
  }
}

/** Why the CUDA provider cannot load, checked without asking onnxruntime (whose failure logs to stderr). */
function cudaProblem(ortNode: OrtNodeModule): string | undefined {
  const backends = ortNode.listSupportedBackends?.() ?? [];
  const cuda = backends.find((b) => b.name === 'cuda');
  if (backends.length > 0 && !cuda) {
    return `onnxruntime-node has no CUDA build for ${process.platform}/${process.arch} (supported: ${backends.map((b) => b.name).join(', ')})`;
  }
  if (cuda?.bundled) return undefined;
  const dir = ortBinDir();
  if (!dir || !existsSync(dir)) return undefined;
  const libs =
    process.platform === 'win32'
      ? ['onnxruntime_providers_cuda.dll', 'onnxruntime_providers_shared.dll']
      : ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'];
  const missing = libs.filter((f) => !existsSync(join(dir, f)));
  return missing.length > 0 ? `${missing.join(' and ')} not found in ${dir}. ${CUDA_INSTALL_HINT}` : undefined;
}

async function loadModel(model: ModelSource): Promise<LoadedModel> {
  if (model instanceof Uint8Array || model instanceof ArrayBuffer) {
    const bytes = model instanceof Uint8Array ? model : new Uint8Array(model);
    return checkedBytes(bytes, `the model buffer (${bytes.length} bytes)`);
  }
  let path: string;
  if (model instanceof URL || (typeof model === 'string' && model.startsWith('file:'))) {
    const url = new URL(String(model));
    if (url.protocol !== 'file:') {
      throw new OptionError(`In Node, createSession takes a path, a file: URL or bytes; fetch '${url.href}' yourself and pass the bytes`);
    }
    path = fileURLToPath(url);
  } else if (typeof model === 'string') {
    path = model;
  } else {
    throw new OptionError(`createSession expects a path, URL, Uint8Array or ArrayBuffer, got ${String(model)}`);
  }
  const subject = `file '${path}'`;
  const info = await stat(path).catch((e: unknown) => {
    throw new OnnxFormatError(`Cannot read ONNX model file '${path}': ${messageOf(e)}`);
  });
  if (!info.isFile()) throw new OnnxFormatError(`Cannot read ONNX model file '${path}': it is not a file`);
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(Math.min(HEAD_BYTES, info.size));
    await file.read(head, 0, head.length, 0);
    const problem = onnxFormatProblem(head, info.size <= HEAD_BYTES);
    if (problem) throw new OnnxFormatError(`${capitalize(subject)} is not an ONNX model: ${problem}`);
  } finally {
    await file.close();
  }
  return { model: path, subject };
}

/** The Node platform: onnxruntime-node with cuda, webgpu and cpu; onnxruntime-web with wasm. */
const nodePlatform: Platform = {
  defaultDevices: ['cuda', 'cpu', 'wasm'],
  elsewhere: {},
  async provider(device: Device) {
    if (device === 'wasm') {
      const web = await loadOrtWebInNode();
      return 'ort' in web ? { ep: 'wasm', ort: web.ort } : { skip: web.problem };
    }
    const native = await loadOrtNode();
    if (!('ort' in native)) return { skip: native.problem };
    if (device === 'cuda') {
      const problem = cudaProblem(native.ort);
      if (problem) return { skip: problem };
    }
    return { ep: device, ort: native.ort };
  },
  explain(device: Device, error: unknown) {
    const message = messageOf(error);
    if (device === 'cuda' && /shared librar|providers_(cuda|shared)/i.test(message)) return `${message}. ${CUDA_INSTALL_HINT}`;
    const adapter = /Failed to get a WebGPU adapter[^.\n]*/.exec(message);
    if (device === 'webgpu' && adapter) return `onnxruntime-node's WebGPU EP found no GPU adapter (${adapter[0]})`;
    return message;
  },
  load: loadModel,
};

/**
 * Loads an ONNX model (path, `file:` URL, `Uint8Array` or `ArrayBuffer`) on the first device of
 * `options.devices` that works (default `['cuda', 'cpu', 'wasm']`: onnxruntime-node's cuda and
 * cpu, then onnxruntime-web's wasm).
 * Throws OnnxFormatError for a file that is not ONNX, BackendError when no device works.
 */
export function createSession(
  model: ModelSource,
  options?: CreateSessionOptions,
): Promise<ZooSession> {
  return createSessionOn(nodePlatform, model, options);
}

/** A classifier over any single-input [batch, features] -> [batch, classes] ONNX model (MLP, perceptron, DBN, ...). */
export class OnnxClassifier extends ClassifierModel {
  /** Opens the model (bytes, a path, or a URL) on the first device of `options.devices` that works. */
  static async load(model: ModelSource, options?: CreateSessionOptions): Promise<OnnxClassifier> {
    return new OnnxClassifier(await createSession(model, options));
  }
}
