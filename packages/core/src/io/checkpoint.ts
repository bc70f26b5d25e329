import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { CheckpointError } from '../errors.js';
import { tf } from '../tf.js';
import { writeFileAtomic } from './atomic.js';

/**
 * Training checkpoints: one self-checking binary file per saved epoch plus a `latest.json`
 * pointer, each replaced atomically. Layout of a `.ckpt` file:
 * `NZCK` | u32 format version | u32 header length | header JSON | float32 data | u32 CRC-32.
 * A file cut short or damaged fails its length or CRC check and is never loaded.
 */
const MAGIC = 0x4b435a4e; // 'NZCK' little-endian
const FORMAT_VERSION = 1;
const LATEST = 'latest.json';

/** Everything needed to continue a run exactly where it stopped. */
export interface CheckpointState {
  /** Number of epochs completed. */
  epoch: number;
  /** Model weights in `model.weights` order. */
  modelWeights: tf.Tensor[];
  /** Optimizer slots (`optimizer.getWeights()`), e.g. Adam moments and its iteration count. */
  optimizerWeights: NamedTensor[];
  /** Free-form JSON: RNG state, history, callback state. */
  meta: Record<string, unknown>;
}

/** A named tensor, as `optimizer.getWeights()` returns them. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
  group: 'model' | 'optimizer';
}

/** Writes `state` to `dir/epoch-XXXX.ckpt` and points `latest.json` at it; keeps the newest `keep` files. */
export async function saveCheckpoint(dir: string, state: CheckpointState, keep = 2): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const entries: TensorEntry[] = [];
  const arrays: Float32Array[] = [];
  let offset = 0;
  const add = (name: string, t: tf.Tensor, group: TensorEntry['group']) => {
    const values = t.dataSync() as Float32Array;
    entries.push({ name, shape: t.shape, offset, group });
    arrays.push(Float32Array.from(values));
    offset += values.length;
  };
  state.modelWeights.forEach((t, i) => add(String(i), t, 'model'));
  for (const w of state.optimizerWeights) add(w.name, w.tensor, 'optimizer');

  const header = new TextEncoder().encode(JSON.stringify({ epoch: state.epoch, meta: state.meta, tensors: entries }));
  const body = new Uint8Array(12 + header.length + offset * 4 + 4);
  const view = new DataView(body.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, header.length, true);
  body.set(header, 12);
  const data = new Float32Array(offset);
  let at = 0;
  for (const a of arrays) {
    data.set(a, at);
    at += a.length;
  }
  body.set(new Uint8Array(data.buffer), 12 + header.length);
  view.setUint32(body.length - 4, crc32(body.subarray(0, body.length - 4)), true);

  const file = `epoch-${String(state.epoch).padStart(4, '0')}.ckpt`;
  await writeFileAtomic(join(dir, file), body);
  await writeFileAtomic(join(dir, LATEST), JSON.stringify({ file, epoch: state.epoch }));
  await pruneCheckpoints(dir, file, keep);
  return join(dir, file);
}

async function pruneCheckpoints(dir: string, current: string, keep: number): Promise<void> {
  const files = (await fs.readdir(dir)).filter((f) => /^epoch-\d+\.ckpt$/.test(f) && f !== current).sort();
  const stale = files.slice(0, Math.max(0, files.length - (keep - 1)));
  await Promise.all(stale.map((f) => fs.rm(join(dir, f), { force: true })));
}

/** Parses and verifies one checkpoint file; tensors are created on the current backend. */
export async function readCheckpoint(path: string): Promise<CheckpointState> {
  const bytes = new Uint8Array(await fs.readFile(path));
  const fail = (why: string): never => {
    throw new CheckpointError(`Checkpoint ${path} is unusable: ${why}`);
  };
  if (bytes.length < 16) fail(`expected at least 16 bytes, found ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) fail('it does not start with the NZCK signature');
  if (view.getUint32(4, true) !== FORMAT_VERSION) fail(`format version ${view.getUint32(4, true)}, expected ${FORMAT_VERSION}`);
  const stored = view.getUint32(bytes.length - 4, true);
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== stored) fail('CRC-32 mismatch (the file was cut short or damaged)');
  const headerLength = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  const dataStart = 12 + headerLength;
  const floats = new Float32Array(bytes.slice(dataStart, bytes.length - 4).buffer);
  const modelWeights: tf.Tensor[] = [];
  const optimizerWeights: NamedTensor[] = [];
  for (const e of header.tensors as TensorEntry[]) {
    const size = e.shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(floats.subarray(e.offset, e.offset + size), e.shape, 'float32');
    if (e.group === 'model') modelWeights.push(t);
    else optimizerWeights.push({ name: e.name, tensor: t });
  }
  return { epoch: header.epoch, modelWeights, optimizerWeights, meta: header.meta };
}

/** The newest good checkpoint in `dir`, or `null` when there is none yet. */
export async function loadLatestCheckpoint(dir: string): Promise<CheckpointState | null> {
  let pointer: { file: string };
  try {
    pointer = JSON.parse(await fs.readFile(join(dir, LATEST), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CheckpointError(`Cannot read ${join(dir, LATEST)}: ${(err as Error).message}`);
  }
  return readCheckpoint(join(dir, pointer.file));
}

/** What a checkpoint saves the weights of: a LayersModel, or plain variables through {@link variableWeights}. */
export interface WeightHolder {
  getWeights(): tf.Tensor[];
  setWeights(weights: tf.Tensor[]): void;
}

/** Plain variables (a custom model's) as a {@link WeightHolder}. */
export function variableWeights(variables: readonly tf.Variable[]): WeightHolder {
  return {
    getWeights: () => [...variables],
    setWeights: (weights) => {
      if (weights.length !== variables.length) throw new CheckpointError(`Checkpoint holds ${weights.length} weights, the model has ${variables.length}`);
      variables.forEach((v, i) => v.assign(weights[i]));
    },
  };
}

/**
 * For custom training loops: saves the state after `epoch` epochs (weights, the optimizer's
 * slots such as Adam's moments and step count, and `meta`: RNG state, losses, seconds...).
 */
export function saveTrainingState(dir: string, epoch: number, weights: WeightHolder, optimizer: tf.Optimizer, meta: Record<string, unknown>): Promise<string> {
  return optimizer.getWeights().then((optimizerWeights) => saveCheckpoint(dir, { epoch, modelWeights: weights.getWeights(), optimizerWeights, meta }));
}

/**
 * Loads the newest checkpoint of `dir` into `weights` and `optimizer`; returns its epoch count and
 * meta, or null when `dir` has none yet (a fresh run).
 */
export async function restoreTrainingState(dir: string, weights: WeightHolder, optimizer: tf.Optimizer): Promise<{ epoch: number; meta: Record<string, unknown> } | null> {
  const ckpt = await loadLatestCheckpoint(dir);
  if (!ckpt) return null;
  try {
    weights.setWeights(ckpt.modelWeights);
    if (ckpt.optimizerWeights.length > 0) await optimizer.setWeights(ckpt.optimizerWeights);
  } finally {
    tf.dispose([...ckpt.modelWeights, ...ckpt.optimizerWeights.map((w) => w.tensor)]);
  }
  return { epoch: ckpt.epoch, meta: ckpt.meta };
}
