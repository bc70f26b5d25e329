/**
 * The files of one exported model, as `pipeline()` hands them to a task handler: the main
 * graph's bytes and metadata, and its companions (a decoder step, vocab.json, ...) found beside
 * it or given by name. Reads paths in Node (without a static `node:fs` import, so browser
 * bundles stay clean) and fetches URLs elsewhere.
 */
import { OnnxFormatError, OptionError } from '../errors.js';
import { checkedBytes, messageOf } from './common.js';
import { readMetadataProps } from './metadata.js';
import type { ModelSource } from './types.js';

/** Node's `fs.readFileSync`, reached without a static import; undefined outside Node. */
function nodeReadFile(): ((path: string) => Uint8Array) | undefined {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
  if (!proc?.versions?.node) return undefined;
  return (proc.getBuiltinModule?.('fs') as { readFileSync(path: string): Uint8Array } | undefined)?.readFileSync;
}

const REMOTE = /^(https?|blob|data):/i;

/** The bytes of `source` (a path in Node, a URL, or bytes), and how to name it in messages. */
export async function readSource(source: ModelSource): Promise<{ bytes: Uint8Array; subject: string }> {
  if (source instanceof Uint8Array) return { bytes: source, subject: `the model buffer (${source.length} bytes)` };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), subject: `the model buffer (${source.byteLength} bytes)` };
  const href = String(source);
  const readFile = nodeReadFile();
  if (readFile && !REMOTE.test(href)) {
    const path = href.startsWith('file:') ? decodeURIComponent(new URL(href).pathname) : href;
    try {
      const bytes = readFile(path);
      return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), subject: `file '${path}'` };
    } catch (e) {
      throw new OnnxFormatError(`Cannot read file '${path}': ${messageOf(e)}`);
    }
  }
  let response: Response;
  try {
    response = await fetch(href);
  } catch (e) {
    throw new OnnxFormatError(`Cannot fetch '${href}': ${messageOf(e)}`);
  }
  if (!response.ok) throw new OnnxFormatError(`Cannot fetch '${href}': HTTP ${response.status} ${response.statusText}`);
  return { bytes: new Uint8Array(await response.arrayBuffer()), subject: `the file at '${href}'` };
}

/** Whether a path or URL names a folder: it ends with '/' or its last segment has no extension. */
function isFolder(href: string): boolean {
  if (/^(blob|data):/i.test(href)) return false;
  const path = href.replace(/[?#].*$/, '');
  return /[/\\]$/.test(path) || !/\.[^./\\]+$/.test(path);
}

/** `name` beside `source` (a path or URL), or undefined when `source` is bytes. */
function siblingOf(source: ModelSource, name: string): string | URL | undefined {
  if (source instanceof URL) return new URL(name, source);
  if (typeof source !== 'string' || /^(blob|data):/i.test(source)) return undefined;
  return source.slice(0, Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1) + name;
}

/**
 * An exported model: the main graph (what the task handlers recognise it by) and access to the
 * files beside it. A folder stands for the `model.onnx` in it, as `neurozoo train` writes it.
 */
export class ModelFiles {
  private constructor(
    /** Where the main graph came from (the `model.onnx` inside a given folder). */
    readonly source: ModelSource,
    /** The main graph's bytes. */
    readonly bytes: Uint8Array,
    /** How messages name the model: `file 'out/g2p/model.onnx'`, `the model buffer (1234 bytes)`. */
    readonly subject: string,
    /** The main graph's ONNX metadata_props. */
    readonly metadata: Readonly<Record<string, string>>,
    private readonly given: Readonly<Record<string, ModelSource>>,
  ) {}

  /**
   * Reads the main graph of `model` (a folder stands for its `model.onnx`); `files` gives
   * companion files by name, e.g. `{ 'decoder-step.onnx': bytes }` when the model is bytes.
   * Throws OnnxFormatError when the main graph cannot be read or is not ONNX.
   */
  static async open(model: ModelSource, files: Record<string, ModelSource> = {}): Promise<ModelFiles> {
    let source = model;
    if ((typeof model === 'string' || model instanceof URL) && isFolder(String(model))) {
      source = model instanceof URL ? new URL('model.onnx', `${model.href.replace(/\/?$/, '/')}`) : `${model.replace(/[/\\]?$/, '/')}model.onnx`;
    }
    const read = await readSource(source);
    const { subject } = checkedBytes(read.bytes, read.subject);
    return new ModelFiles(source, read.bytes, subject, readMetadataProps(read.bytes), files);
  }

  /**
   * One graph of a multi-graph export: the main graph when its metadata names it `part`
   * (`neurozoo.part` or `neurozoo.graph`, e.g. 'encoder'), else the companion file `file`.
   */
  graph(part: string, file: string): Promise<Uint8Array> {
    const named = this.metadata['neurozoo.part'] ?? this.metadata['neurozoo.graph'];
    return named === part ? Promise.resolve(this.bytes) : this.file(file);
  }

  /**
   * The bytes of the companion file `name`: the one given in `files`, else the file of that name
   * beside the main graph. Throws OptionError saying how to give it when the model came as bytes.
   */
  async file(name: string): Promise<Uint8Array> {
    const source = this.given[name] ?? siblingOf(this.source, name);
    if (source === undefined) {
      throw new OptionError(`This model needs '${name}' beside ${this.subject}, which came as bytes: pass it as options.files['${name}']`);
    }
    return (await readSource(source)).bytes;
  }

  /** The companion file `name` parsed as JSON (e.g. `vocab.json`). */
  async json<T>(name: string): Promise<T> {
    const text = new TextDecoder().decode(await this.file(name));
    try {
      return JSON.parse(text) as T;
    } catch (e) {
      throw new OnnxFormatError(`'${name}' beside ${this.subject} is not JSON: ${messageOf(e)}`);
    }
  }
}
