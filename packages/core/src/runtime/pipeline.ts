/**
 * One task-level API over every family's runtime: `pipeline(task, model, { device })` reads
 * the model's metadata once, picks the registered handler that recognises it, and returns a
 * typed function with the device that runs it and why preferred devices were skipped.
 *
 * Families register handlers when their `@neurozoo/<family>/runtime` entry loads and add their
 * own tasks to {@link PipelineTasks} by declaration merging, so `pipeline('tag', ...)` is typed
 * once `@neurozoo/rnn/runtime` is imported.
 */
import { BackendError, checkOptions, TaskError } from '../errors.js';
import { ModelFiles } from './model-files.js';
import type { ClassifyInput, ClassifyOptions, ClassPrediction, EncodeOptions, FloatTensor, GenerateTextOptions, TextGeneration, TranscribeOptions, Transcription } from './tasks.js';
import type { CreateSessionOptions, Device, Fallback, ModelSource, ZooSession } from './types.js';

/** What one task takes and gives: its input, its per-call options, and its result. */
export interface TaskSignature {
  input: unknown;
  options: object;
  output: unknown;
}

/**
 * The tasks `pipeline()` knows, by name. Core declares those that several families serve;
 * a family adds its own with `declare module '@neurozoo/core/runtime' { interface PipelineTasks { ... } }`.
 */
export interface PipelineTasks {
  /** Rows of features (or images, with `@neurozoo/cnn/runtime`) -> the best class of each, with its probability. */
  classify: { input: ClassifyInput; options: ClassifyOptions; output: ClassPrediction[] };
  /** Words (letters) -> phonemes, one {@link Transcription} per word. */
  transcribe: { input: string | readonly string[]; options: TranscribeOptions; output: Transcription[] };
  /** A prompt -> its continuation. */
  generate: { input: string; options: GenerateTextOptions; output: TextGeneration };
  /** Rows -> codes or hidden features [rows, ...]. */
  encode: { input: Float32Array; options: EncodeOptions; output: FloatTensor };
}

/** A task name. */
export type TaskName = keyof PipelineTasks & string;
/** What the pipeline of `T` takes. */
export type TaskInput<T extends TaskName> = PipelineTasks[T]['input'];
/** The per-call options of `T`. */
export type TaskOptions<T extends TaskName> = PipelineTasks[T]['options'];
/** What the pipeline of `T` gives. */
export type TaskOutput<T extends TaskName> = PipelineTasks[T]['output'];

/** Options of {@link pipeline}: the session options, with the device preference as `device`. */
export interface PipelineOptions extends Omit<CreateSessionOptions, 'devices'> {
  /** A device or devices to try in order (default: the platform's, Node `['cuda', 'cpu', 'wasm']`, web `['webgpu', 'wasm']`). */
  device?: Device | Device[];
  /** Companion files by name (`'decoder-step.onnx'`, `'vocab.json'`), for a model given as bytes or kept elsewhere. */
  files?: Record<string, ModelSource>;
  /** The family to take the model for when its metadata names none (e.g. a plain `exportOnnx` of an MLP: `'perceptron'`). */
  family?: string;
  /** Web entry only: the onnxruntime-web build (`WebBundle`, default `'auto'`); Node ignores it. */
  bundle?: 'auto' | 'default' | 'webgpu';
}

/** An opened model serving one task, as a handler returns it. */
export interface TaskRunner<T extends TaskName> {
  /** Runs the task on one input. */
  run(input: TaskInput<T>, options: TaskOptions<T>): Promise<TaskOutput<T>>;
  /** The session whose device the pipeline reports (the first one opened for multi-graph models). */
  readonly session: Pick<ZooSession, 'provider' | 'fallbacks'>;
  /** Frees every session. */
  release(): Promise<void>;
}

/** How one family serves one task; registered by the family's runtime entry with {@link registerTask}. */
export interface TaskHandler<T extends TaskName = TaskName> {
  readonly task: T;
  /** The family whose models it runs ('cnn', 'rnn', ...), as in the `neurozoo.family` metadata. */
  readonly family: string;
  /** The runtime class it wraps, for messages ('OnnxImageClassifier'). */
  readonly name: string;
  /** Whether it runs `model` (by its metadata); only asked for models of its family. */
  accepts(model: ModelFiles): boolean;
  /** Opens the sessions `model` needs. */
  open(model: ModelFiles, options: CreateSessionOptions): Promise<TaskRunner<T>>;
}

/** The callable {@link pipeline} returns: the task's function plus what ran it. */
export interface Pipeline<T extends TaskName> {
  (input: TaskInput<T>, options?: TaskOptions<T>): Promise<TaskOutput<T>>;
  readonly task: T;
  /** The family of the model (from its metadata or `options.family`). */
  readonly family: string;
  /** The runtime class behind it. */
  readonly handler: string;
  /** The device whose execution provider runs the model. */
  readonly device: Device;
  /** Devices tried before {@link device}, each with why it was not used. */
  readonly fallbacks: readonly Fallback[];
  /** The main graph's ONNX metadata. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Frees the sessions; later calls throw BackendError. */
  dispose(): Promise<void>;
}

/** The options {@link pipeline} takes (`bundle`: the web entry's onnxruntime-web build). */
const PIPELINE_OPTIONS = ['device', 'files', 'family', 'logLevel', 'sessionOptions', 'bundle'];

const handlers: TaskHandler<any>[] = [];

/**
 * Adds `handlers` to the registry `pipeline()` picks from (each replaces one with the same task,
 * family and name, so loading an entry twice changes nothing). Family runtime entries call it
 * when they load.
 */
export function registerTask(...added: TaskHandler<any>[]): void {
  for (const handler of added) {
    const same = handlers.findIndex((h) => h.task === handler.task && h.family === handler.family && h.name === handler.name);
    if (same >= 0) handlers[same] = handler;
    else handlers.push(handler);
  }
}

/** Registered tasks, each with the families that serve it, e.g. `{ classify: ['cnn', 'perceptron'] }`. */
export function registeredTasks(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const h of handlers) {
    const families = (out[h.task] ??= []);
    if (!families.includes(h.family)) families.push(h.family);
  }
  for (const families of Object.values(out)) families.sort();
  return out;
}

const quoted = (names: Iterable<string>) => [...names].map((n) => `'${n}'`).join(', ');

/** Throws TaskError when no imported runtime registers `task`. */
function checkTask(task: string): void {
  if (handlers.some((h) => h.task === task)) return;
  const known = Object.keys(registeredTasks()).sort();
  throw new TaskError(
    task,
    `Unknown task '${task}': the imported runtimes register ${known.length > 0 ? quoted(known) : 'no task'}. ` +
      "Import the runtime of the model's family (e.g. '@neurozoo/rnn/runtime') to register its tasks.",
  );
}

/** The handler of `task` for `model`, or a TaskError naming what to import or which tasks the model has. */
function pick(task: string, model: ModelFiles, family: string | undefined): TaskHandler<any> {
  const ofTask = handlers.filter((h) => h.task === task);
  const arch = model.metadata['neurozoo.arch'];
  const described = `${model.subject} (family ${family ? `'${family}'` : 'unknown'}${arch ? `, architecture '${arch}'` : ''})`;
  if (family === undefined) {
    throw new TaskError(
      task,
      `Cannot run task '${task}' on ${described}: its metadata has no 'neurozoo.family'. ` +
        `Export it with neurozoo, or pass options.family (one of ${quoted(new Set(ofTask.map((h) => h.family)))}).`,
    );
  }
  const handler = ofTask.find((h) => h.family === family && h.accepts(model));
  if (handler) return handler;
  const ofFamily = handlers.filter((h) => h.family === family);
  if (ofFamily.length === 0) {
    throw new TaskError(task, `Cannot run task '${task}' on ${described}: no runtime of family '${family}' is loaded. Import '@neurozoo/${family}/runtime' to register its tasks.`);
  }
  const tasks = [...new Set(ofFamily.filter((h) => h.accepts(model)).map((h) => h.task))];
  throw new TaskError(
    task,
    `Cannot run task '${task}' on ${described}: '@neurozoo/${family}/runtime' runs ${tasks.length > 0 ? `${quoted(tasks)} on this model` : 'none of its tasks on this model'}.`,
  );
}

/**
 * Opens `model` for `task`: a path (Node), URL, bytes, or a folder written by `neurozoo train`
 * (its `model.onnx`); companion graphs and vocab.json are read beside it or from
 * `options.files`. The family runtime that serves the model must be imported (it registers its
 * handlers); `@neurozoo/<family>/runtime` re-exports this function.
 * Throws TaskError for a task no imported runtime serves on this model, OnnxFormatError for a
 * file that is not ONNX, BackendError when no device runs it.
 *
 * @example
 * ```ts
 * // `pipeline` as re-exported by the cnn family's runtime entry, which registers its image classifier
 * const classify = await pipeline('classify', 'out/lenet5/model.onnx', { device: ['webgpu', 'wasm'] });
 * const [best] = await classify({ data: grayPixels, width: 28, height: 28 });
 * console.log(best.label, classify.device, classify.fallbacks);
 * ```
 */
export async function pipeline<T extends TaskName>(task: T, model: ModelSource, options: PipelineOptions = {}): Promise<Pipeline<T>> {
  checkOptions(options, PIPELINE_OPTIONS, 'pipeline');
  const { device, files, family: givenFamily, ...sessionOptions } = options;
  checkTask(task); // before reading anything
  const opened = await ModelFiles.open(model, files);
  const family = givenFamily ?? opened.metadata['neurozoo.family'];
  const handler = pick(task, opened, family) as TaskHandler<T>;
  const devices = device === undefined ? undefined : Array.isArray(device) ? device : [device];
  const runner = await handler.open(opened, devices === undefined ? sessionOptions : { ...sessionOptions, devices });
  let open = true;
  const run = async (input: TaskInput<T>, callOptions?: TaskOptions<T>): Promise<TaskOutput<T>> => {
    if (!open) throw new BackendError(`This '${task}' pipeline was disposed; open a new one with pipeline()`);
    return runner.run(input, callOptions ?? ({} as TaskOptions<T>));
  };
  return Object.assign(run, {
    task,
    family: family as string,
    handler: handler.name,
    device: runner.session.provider,
    fallbacks: runner.session.fallbacks,
    metadata: opened.metadata,
    async dispose() {
      if (!open) return;
      open = false;
      await runner.release();
    },
  });
}
