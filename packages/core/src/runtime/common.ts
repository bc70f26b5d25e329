/**
 * The runtime logic shared by the Node and web entries; each entry injects its onnxruntime
 * module and a {@link Platform} that knows which devices exist there and how to load a model.
 */
import { BackendError, OnnxFormatError, OptionError } from '../errors.js';
import { onnxFormatProblem } from './format.js';
import type { OrtModule, OrtSession } from './ort.js';
import type {
  CreateSessionOptions,
  Device,
  Fallback,
  Feeds,
  LogLevel,
  ModelSource,
  OutputTensor,
  TensorData,
  ValueInfo,
  ZooSession,
} from './types.js';
import { type CheckedFeed, checkFeeds, toValueInfo } from './validate.js';

/** Every device name `devices` accepts. */
export const DEVICES: readonly Device[] = ['cuda', 'webgpu', 'wasm', 'cpu'];

/** A model ready for `InferenceSession.create`, and how to name it in errors. */
export interface LoadedModel {
  model: string | Uint8Array;
  /** `file '/models/mlp.onnx'`, `the model buffer (1234 bytes)`: lower case, for use inside a sentence. */
  subject: string;
}

/** What differs between Node and browsers. */
export interface Platform {
  /** The onnxruntime module, unless {@link Platform.provider} names one per device. */
  ort?: OrtModule;
  defaultDevices: readonly Device[];
  /** Devices this platform never runs, each with what to use instead (skipped without trying). */
  elsewhere: Partial<Record<Device, string>>;
  /**
   * The execution provider for `device` (and the device to report when it runs under another
   * name, e.g. web 'cpu' is the 'wasm' EP), or why it cannot run here (skipped without trying).
   */
  provider(device: Device): DeviceProvider | { skip: string } | Promise<DeviceProvider | { skip: string }>;
  /** The reason to record when creating a session on `device` threw `error` (adds install hints). */
  explain(device: Device, error: unknown): string;
  /** Reads or checks the model argument; throws OnnxFormatError for something that is not ONNX. */
  load(model: ModelSource): Promise<LoadedModel>;
}

/** How a platform runs a device: an execution provider of an onnxruntime module. */
export interface DeviceProvider {
  ep: string;
  /** The device to report when it runs under another name (web 'cpu' is the 'wasm' EP). */
  reportAs?: Device;
  /** The onnxruntime module to use (default: the platform's). */
  ort?: OrtModule;
}

const LOG_LEVELS: Record<LogLevel, number> = { verbose: 0, info: 1, warning: 2, error: 3, fatal: 4 };

/** onnxruntime load errors that mean the model itself is bad, whichever device loads it. */
const MODEL_ERROR = /protobuf parsing failed|INVALID_PROTOBUF|INVALID_GRAPH|Load model .* failed|invalid model|No Op registered/i;

/** `bytes` as a loaded model named `subject`; throws OnnxFormatError when they are not ONNX. */
export function checkedBytes(bytes: Uint8Array, subject: string): LoadedModel {
  const problem = onnxFormatProblem(bytes, true);
  if (problem) throw new OnnxFormatError(`${capitalize(subject)} is not an ONNX model: ${problem}`);
  return { model: bytes, subject };
}

/** `subject` with its first letter in upper case, to start a sentence. */
export function capitalize(subject: string): string {
  return subject.charAt(0).toUpperCase() + subject.slice(1);
}

/** The message of an unknown thrown value, on one line. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim();
}

class Session implements ZooSession {
  #session: OrtSession | null;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];

  constructor(
    private readonly ort: OrtModule,
    session: OrtSession,
    readonly provider: Device,
    readonly fallbacks: readonly Fallback[],
  ) {
    this.#session = session;
    this.inputs = toValueInfo(session.inputNames, session.inputMetadata);
    this.outputs = toValueInfo(session.outputNames, session.outputMetadata);
  }

  async run(feeds: Feeds): Promise<Record<string, OutputTensor>> {
    const session = this.#session;
    if (!session) throw new BackendError('This session was released; create a new one with createSession()');
    const checked: CheckedFeed[] = checkFeeds(feeds, this.inputs);
    const ortFeeds: Record<string, InstanceType<OrtModule['Tensor']>> = {};
    for (const f of checked) ortFeeds[f.name] = new this.ort.Tensor(f.type, f.data, f.dims);
    let results: Awaited<ReturnType<OrtSession['run']>>;
    try {
      results = await session.run(ortFeeds);
    } catch (error) {
      throw new BackendError(`onnxruntime failed to run the model on '${this.provider}': ${messageOf(error)}`);
    }
    const out: Record<string, OutputTensor> = {};
    for (const [name, t] of Object.entries(results)) {
      out[name] = { data: t.data as TensorData | string[], dims: [...t.dims], type: t.type };
    }
    return out;
  }

  async release(): Promise<void> {
    const session = this.#session;
    this.#session = null;
    if (session) await session.release();
  }
}

function checkDevices(devices: readonly Device[]): void {
  if (!Array.isArray(devices) || devices.length === 0) {
    throw new OptionError(`devices must be a non-empty list of ${DEVICES.map((d) => `'${d}'`).join(', ')}`);
  }
  for (const d of devices) {
    if (!DEVICES.includes(d)) {
      throw new OptionError(`Unknown device '${String(d)}': valid devices are ${DEVICES.map((v) => `'${v}'`).join(', ')}`);
    }
  }
}

/**
 * Creates a session on the first device of `options.devices` that loads the model, recording
 * why each earlier device was not used. The platform-specific entries wrap this.
 */
export async function createSessionOn(
  platform: Platform,
  model: ModelSource,
  options: CreateSessionOptions = {},
): Promise<ZooSession> {
  const devices = options.devices ?? platform.defaultDevices;
  checkDevices(devices);
  const loaded = await platform.load(model);
  const fallbacks: Fallback[] = [];
  const triedProviders = new Map<string, Device>();
  for (const device of devices) {
    const elsewhere = platform.elsewhere[device];
    const p = elsewhere === undefined ? await platform.provider(device) : { skip: elsewhere };
    if ('skip' in p) {
      fallbacks.push({ device, reason: p.skip });
      continue;
    }
    const ort = p.ort ?? platform.ort;
    if (!ort) throw new BackendError(`The platform names no onnxruntime module for '${device}'`);
    const earlier = triedProviders.get(p.ep);
    if (earlier !== undefined) {
      fallbacks.push({ device, reason: `runs on the same execution provider as '${earlier}', which already failed` });
      continue;
    }
    triedProviders.set(p.ep, device);
    const sessionOptions = {
      logSeverityLevel: LOG_LEVELS[options.logLevel ?? 'warning'],
      ...options.sessionOptions,
      executionProviders: [p.ep],
    };
    try {
      const session = await ort.InferenceSession.create(loaded.model, sessionOptions);
      return new Session(ort, session, p.reportAs ?? device, fallbacks);
    } catch (error) {
      const message = messageOf(error);
      if (MODEL_ERROR.test(message)) {
        throw new OnnxFormatError(`${capitalize(loaded.subject)} is not a valid ONNX model for onnxruntime: ${message}`);
      }
      fallbacks.push({ device, reason: platform.explain(device, error) });
    }
  }
  const reasons = fallbacks.map((f) => `${f.device}: ${f.reason}`).join('; ');
  throw new BackendError(`No device could run ${loaded.subject}. Tried ${reasons}`);
}
