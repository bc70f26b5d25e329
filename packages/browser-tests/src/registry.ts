/**
 * The models the browser harness runs. Register one with a single call (see README.md):
 *
 * ```ts
 * registerHarnessModel({ name: 'my-lstm', build: () => myLstm({ units: 8 }) });
 * ```
 *
 * {@link exportHarnessModels} exports each to ONNX and records golden outputs computed by
 * tfjs in Node (wasm backend), which the page must reproduce on WebGPU and on wasm.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportOnnx, inspectOnnx, randomInputs, tf } from '@neurozoo/core';

/** onnxruntime-web builds the harness runs every model on (see @neurozoo/core/runtime `WebBundle`). */
export type Bundle = 'default' | 'webgpu';

/** Devices the harness runs every model on. */
export type HarnessDevice = 'webgpu' | 'wasm';

/**
 * An output onnxruntime-web is known to compute wrong on one bundle and device (an upstream
 * bug): the test asserts that it IS wrong there, and wrong exactly as described (its values are
 * those of another output), so a fix upstream fails the test and the entry gets removed.
 */
export interface KnownWrong {
  bundle: Bundle;
  device: HarnessDevice;
  /** The ONNX output that comes back wrong. */
  output: string;
  /** The ONNX output whose (tfjs) values it holds instead, within that output's tolerance. */
  holds: string;
  /** The bug, for the report. */
  why: string;
}

/** Fields every harness model has. */
interface HarnessModelBase {
  /** Unique, URL-safe name (`[a-z0-9-]+`). */
  name: string;
  /**
   * Op types of the nodes that are expected NOT to run on WebGPU, per bundle, e.g.
   * `{ default: ['LSTM'] }`. Left out: every node must be placed on the WebGPU EP.
   */
  notOnWebGpu?: Partial<Record<Bundle, string[]>>;
  /**
   * Largest allowed |onnxruntime-web - tfjs| (default 1e-4): one bound for every output, or one
   * per ONNX output name, every output listed.
   */
  tolerance?: number | Record<string, number>;
  /** Outputs known to be wrong on one bundle and device; see {@link KnownWrong}. */
  knownWrong?: KnownWrong[];
}

/** A tfjs LayersModel, exported with core's `exportOnnx`. */
export interface HarnessLayersModel extends HarnessModelBase {
  /** Builds (or trains, or loads) the tfjs model; called once per test run. */
  build: () => tf.LayersModel | Promise<tf.LayersModel>;
  /** Inputs in model.inputs order (default: core's `randomInputs(model, 3)`, seeded). */
  inputs?: (model: tf.LayersModel) => tf.Tensor[];
  graph?: never;
}

/**
 * ONNX bytes a family wrote itself (e.g. with `OnnxGraph`: a decode step, a Gibbs step), with
 * the inputs to feed and the outputs tfjs computes for them: keyed by ONNX value name, or in
 * graph order.
 */
export interface HarnessGraph {
  onnx: Uint8Array;
  inputs: Record<string, tf.Tensor> | tf.Tensor[];
  /** Every graph output, computed by tfjs. */
  outputs: Record<string, tf.Tensor> | tf.Tensor[];
  /** Called after the goldens are written (e.g. to dispose of the tfjs model). */
  dispose?: () => void;
}

/** A model given as ONNX bytes and its tfjs reference; see {@link HarnessGraph}. */
export interface HarnessGraphModel extends HarnessModelBase {
  graph: () => HarnessGraph | Promise<HarnessGraph>;
  build?: never;
  inputs?: never;
}

/** A model for the harness. */
export type HarnessModel = HarnessLayersModel | HarnessGraphModel;

/** One tensor as written to golden.json. */
export interface GoldenTensor {
  /** The ONNX graph input or output it is. */
  name: string;
  dtype: 'float32' | 'int32';
  dims: number[];
  data: number[];
}

/** What golden.json holds for a model (in `<dir>/<name>/`, beside model.onnx). */
export interface Golden {
  name: string;
  inputs: GoldenTensor[];
  /** tfjs outputs, in ONNX graph output order (= model.outputs order for a LayersModel). */
  outputs: GoldenTensor[];
  notOnWebGpu: Partial<Record<Bundle, string[]>>;
  /** Largest allowed |onnxruntime-web - tfjs| of each output, in `outputs` order. */
  tolerance: number[];
  knownWrong: KnownWrong[];
}

const models = new Map<string, HarnessModel>();

/** Adds a model to the harness; throws on a bad or duplicate name. */
export function registerHarnessModel(model: HarnessModel): void {
  if (!/^[a-z0-9-]+$/.test(model.name)) throw new Error(`Harness model name '${model.name}' must match [a-z0-9-]+`);
  if (models.has(model.name)) throw new Error(`Harness model '${model.name}' is registered twice`);
  if (!model.build === !model.graph) throw new Error(`Harness model '${model.name}' needs exactly one of build and graph`);
  models.set(model.name, model);
}

/** The registered models, in registration order. */
export function harnessModels(): HarnessModel[] {
  return [...models.values()];
}

async function toGolden(t: tf.Tensor, name: string): Promise<GoldenTensor> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  return { name, dtype, dims: t.shape, data: Array.from(await t.data()) };
}

/** `tensors` (in graph order, or by name) as goldens named and ordered as the graph's `names`. */
function named(spec: HarnessModel, what: string, names: string[], tensors: Record<string, tf.Tensor> | tf.Tensor[]): Promise<GoldenTensor[]> {
  const given = Array.isArray(tensors) ? null : Object.keys(tensors);
  const count = Array.isArray(tensors) ? tensors.length : Object.keys(tensors).length;
  if (count !== names.length || (given && names.some((n) => !given.includes(n)))) {
    throw new Error(`Harness model '${spec.name}': the graph's ${what} are [${names.join(', ')}], got ${given ? `[${given.join(', ')}]` : `${count} tensors`}`);
  }
  return Promise.all(names.map((n, i) => toGolden(Array.isArray(tensors) ? tensors[i] : tensors[n], n)));
}

const DEFAULT_TOLERANCE = 1e-4;

/** Per-output tolerances of `spec` for the graph outputs `names`. */
function tolerances(spec: HarnessModel, names: string[]): number[] {
  const t = spec.tolerance ?? DEFAULT_TOLERANCE;
  if (typeof t === 'number') return names.map(() => t);
  const extra = Object.keys(t).filter((k) => !names.includes(k));
  if (extra.length > 0) throw new Error(`Harness model '${spec.name}': tolerance names outputs it lacks: ${extra.join(', ')}`);
  return names.map((n) => {
    if (!(n in t)) throw new Error(`Harness model '${spec.name}': no tolerance for output ${n}`);
    return t[n];
  });
}

/** The goldens of a graph's inputs and outputs, named after the graph's values. */
async function goldenOf(spec: HarnessModel, onnx: Uint8Array, g: Pick<HarnessGraph, 'inputs' | 'outputs'>): Promise<Golden> {
  const { inputs, outputs } = inspectOnnx(onnx);
  const outNames = outputs.map((o) => o.name);
  const knownWrong = spec.knownWrong ?? [];
  for (const k of knownWrong) {
    if (!outNames.includes(k.output) || !outNames.includes(k.holds)) throw new Error(`Harness model '${spec.name}': knownWrong names outputs it lacks (${k.output}, ${k.holds})`);
  }
  return {
    name: spec.name,
    inputs: await named(spec, 'inputs', inputs.map((i) => i.name), g.inputs),
    outputs: await named(spec, 'outputs', outNames, g.outputs),
    notOnWebGpu: spec.notOnWebGpu ?? {},
    tolerance: tolerances(spec, outNames),
    knownWrong,
  };
}

/**
 * Exports one model (registered or not): its ONNX bytes and goldens, checked against the graph's
 * input and output names. The tensors are disposed of. Needs a tfjs backend.
 */
export async function exportHarnessModel(spec: HarnessModel): Promise<{ onnx: Uint8Array; golden: Golden }> {
  if (spec.graph) {
    const g = await spec.graph();
    try {
      return { onnx: g.onnx, golden: await goldenOf(spec, g.onnx, g) };
    } finally {
      tf.dispose([...Object.values(g.inputs), ...Object.values(g.outputs)]);
      g.dispose?.();
    }
  }
  const model = await spec.build();
  const xs = spec.inputs ? spec.inputs(model) : randomInputs(model, 3);
  const ys = tf.tidy(() => {
    const y = model.predict(xs.length === 1 ? xs[0] : xs);
    return Array.isArray(y) ? y : [y];
  });
  try {
    const onnx = await exportOnnx(model);
    return { onnx, golden: await goldenOf(spec, onnx, { inputs: xs, outputs: ys }) };
  } finally {
    tf.dispose([...xs, ...ys]);
    model.dispose();
  }
}

/** Reads the goldens {@link exportHarnessModels} wrote to `dir`, in registration order. */
export function readGoldens(dir: string): Golden[] {
  const names = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as string[];
  return names.map((n) => JSON.parse(readFileSync(join(dir, n, 'golden.json'), 'utf8')) as Golden);
}

/**
 * Builds every registered model, exports it with core's `exportOnnx` and writes
 * `<dir>/<name>/model.onnx`, `<dir>/<name>/golden.json` and the list of names in
 * `<dir>/index.json`. Needs a tfjs backend
 * (`initBackend()`). Returns the goldens by name.
 */
export async function exportHarnessModels(dir: string): Promise<Golden[]> {
  const written: Golden[] = [];
  for (const spec of models.values()) {
    const { onnx, golden } = await exportHarnessModel(spec);
    mkdirSync(join(dir, spec.name), { recursive: true });
    writeFileSync(join(dir, spec.name, 'model.onnx'), onnx);
    writeFileSync(join(dir, spec.name, 'golden.json'), JSON.stringify(golden));
    written.push(golden);
  }
  writeFileSync(join(dir, 'index.json'), JSON.stringify(written.map((g) => g.name)));
  return written;
}
