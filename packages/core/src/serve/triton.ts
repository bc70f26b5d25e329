/**
 * Triton Inference Server model repositories for ONNX models: `config.pbtxt` for the
 * onnxruntime backend (names, dtypes, dims, max_batch_size, dynamic batching, GPU instances)
 * plus a CPU variant, written from the model's own signature (inspectOnnx). No tfjs.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OptionError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { inspectOnnx, type OnnxSummary, type OnnxValueSummary } from '../onnx/inspect.js';

/** ONNX element type names (inspectOnnx) -> Triton `data_type`. */
export const TRITON_TYPES: Readonly<Record<string, string>> = {
  bool: 'TYPE_BOOL',
  uint8: 'TYPE_UINT8',
  uint16: 'TYPE_UINT16',
  uint32: 'TYPE_UINT32',
  uint64: 'TYPE_UINT64',
  int8: 'TYPE_INT8',
  int16: 'TYPE_INT16',
  int32: 'TYPE_INT32',
  int64: 'TYPE_INT64',
  float16: 'TYPE_FP16',
  float32: 'TYPE_FP32',
  float64: 'TYPE_FP64',
  bfloat16: 'TYPE_BF16',
  string: 'TYPE_STRING',
};

/** Options of {@link tritonConfig} and {@link writeTritonRepository}. */
export interface TritonOptions {
  /** Model name: the folder name in the repository and `name` in the config. */
  name: string;
  /** `max_batch_size` when the model has a symbolic batch dim (default 32). */
  maxBatch?: number;
  /** `dynamic_batching.max_queue_delay_microseconds` (default 2000). */
  maxQueueDelayUs?: number;
  /** Instances per device (default 1). */
  instances?: number;
  /** `KIND_GPU` (default, config.pbtxt) or `KIND_CPU` (the configs/cpu.pbtxt variant). */
  kind?: 'KIND_GPU' | 'KIND_CPU';
}

const quote = (s: string) => JSON.stringify(s);

/** True when every input and output has a symbolic (named or '?') first dimension. */
export function tritonBatchable(summary: Pick<OnnxSummary, 'inputs' | 'outputs'>): boolean {
  return [...summary.inputs, ...summary.outputs].every((v) => v.dims.length > 0 && typeof v.dims[0] === 'string');
}

function tensor(v: OnnxValueSummary, batched: boolean): string {
  const type = TRITON_TYPES[v.dtype];
  if (!type) throw new OptionError(`Triton has no data type for '${v.name}' (${v.dtype})`);
  const dims = (batched ? v.dims.slice(1) : v.dims).map((d) => (typeof d === 'number' ? d : -1));
  // Triton needs at least one dim; a [batch] tensor is declared [1] and reshaped to [].
  const shape = dims.length === 0 ? ['    dims: [ 1 ]', '    reshape: { shape: [ ] }'] : [`    dims: [ ${dims.join(', ')} ]`];
  return ['  {', `    name: ${quote(v.name)}`, `    data_type: ${type}`, ...shape, '  }'].join('\n');
}

/**
 * The text of a Triton `config.pbtxt` for an ONNX model with signature `summary`. Models
 * whose inputs and outputs all start with a symbolic batch dim get `max_batch_size` and
 * `dynamic_batching`, with dims written without the batch dim; others get `max_batch_size: 0`
 * and full dims. Symbolic dims become -1.
 */
export function tritonConfig(summary: Pick<OnnxSummary, 'inputs' | 'outputs' | 'opset'>, options: TritonOptions): string {
  const maxBatch = options.maxBatch ?? 32;
  const delay = options.maxQueueDelayUs ?? 2000;
  const instances = options.instances ?? 1;
  const kind = options.kind ?? 'KIND_GPU';
  for (const [k, v, min] of [['maxBatch', maxBatch, 1], ['maxQueueDelayUs', delay, 0], ['instances', instances, 1]] as const) {
    if (!Number.isInteger(v) || v < min) throw new OptionError(`${k} must be an integer >= ${min}, got ${v}`);
  }
  const batched = tritonBatchable(summary);
  const lines = [
    `# Written by neurozoo for an ONNX model (opset ${summary.opset}). ${kind === 'KIND_GPU' ? 'GPU instances; configs/cpu.pbtxt is the CPU variant (tritonserver --model-config-name=cpu).' : 'CPU variant of config.pbtxt.'}`,
    `name: ${quote(options.name)}`,
    'backend: "onnxruntime"',
    `max_batch_size: ${batched ? maxBatch : 0}`,
    'input [',
    summary.inputs.map((v) => tensor(v, batched)).join(',\n'),
    ']',
    'output [',
    summary.outputs.map((v) => tensor(v, batched)).join(',\n'),
    ']',
  ];
  if (batched) lines.push('dynamic_batching {', `  max_queue_delay_microseconds: ${delay}`, '}');
  lines.push('instance_group [', '  {', `    count: ${instances}`, `    kind: ${kind}`, '  }', ']', '');
  return lines.join('\n');
}

/** Paths {@link writeTritonRepository} wrote. */
export interface TritonRepository {
  modelDir: string;
  modelPath: string;
  /** config.pbtxt: KIND_GPU. */
  configPath: string;
  /** configs/cpu.pbtxt: KIND_CPU, picked with `tritonserver --model-config-name=cpu`. */
  cpuConfigPath: string;
  batched: boolean;
}

/**
 * Writes `DIR/<name>/1/model.onnx`, `DIR/<name>/config.pbtxt` (GPU) and
 * `DIR/<name>/configs/cpu.pbtxt` (CPU). Triton never falls back from GPU to CPU by itself, so
 * the CPU variant is a separate file chosen at start-up instead of a silent KIND_AUTO.
 */
export async function writeTritonRepository(dir: string, onnxBytes: Uint8Array, options: TritonOptions): Promise<TritonRepository> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(options.name)) {
    throw new OptionError(`Triton model name '${options.name}' must be letters, digits, '_', '.' or '-' (it names a folder)`);
  }
  const summary = inspectOnnx(onnxBytes);
  const modelDir = join(dir, options.name);
  const modelPath = join(modelDir, '1', 'model.onnx');
  const configPath = join(modelDir, 'config.pbtxt');
  const cpuConfigPath = join(modelDir, 'configs', 'cpu.pbtxt');
  const gpu = tritonConfig(summary, { ...options, kind: 'KIND_GPU' });
  const cpu = tritonConfig(summary, { ...options, kind: 'KIND_CPU' });
  await mkdir(join(modelDir, '1'), { recursive: true });
  await mkdir(join(modelDir, 'configs'), { recursive: true });
  await writeFileAtomic(modelPath, onnxBytes);
  await writeFileAtomic(configPath, gpu);
  await writeFileAtomic(cpuConfigPath, cpu);
  return { modelDir, modelPath, configPath, cpuConfigPath, batched: tritonBatchable(summary) };
}
