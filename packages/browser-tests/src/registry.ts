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
import { exportOnnx, randomInputs, tf } from '@neurozoo/core';

/** onnxruntime-web builds the harness runs every model on (see @neurozoo/core/runtime `WebBundle`). */
export type Bundle = 'default' | 'webgpu';

/** A model for the harness. */
export interface HarnessModel {
  /** Unique, URL-safe name (`[a-z0-9-]+`). */
  name: string;
  /** Builds (or trains, or loads) the tfjs model; called once per test run. */
  build: () => tf.LayersModel | Promise<tf.LayersModel>;
  /** Inputs in model.inputs order (default: core's `randomInputs(model, 3)`, seeded). */
  inputs?: (model: tf.LayersModel) => tf.Tensor[];
  /**
   * Op types of the nodes that are expected NOT to run on WebGPU, per bundle, e.g.
   * `{ default: ['LSTM'] }`. Left out: every node must be placed on the WebGPU EP.
   */
  notOnWebGpu?: Partial<Record<Bundle, string[]>>;
  /** Largest allowed |onnxruntime-web - tfjs| (default 1e-4). */
  tolerance?: number;
}

/** One tensor as written to golden.json. */
export interface GoldenTensor {
  dtype: 'float32' | 'int32';
  dims: number[];
  data: number[];
}

/** What golden.json holds for a model (in `<dir>/<name>/`, beside model.onnx). */
export interface Golden {
  name: string;
  inputs: GoldenTensor[];
  /** tfjs outputs, in model.outputs order (= ONNX graph output order). */
  outputs: GoldenTensor[];
  notOnWebGpu: Partial<Record<Bundle, string[]>>;
  tolerance: number;
}

const models = new Map<string, HarnessModel>();

/** Adds a model to the harness; throws on a bad or duplicate name. */
export function registerHarnessModel(model: HarnessModel): void {
  if (!/^[a-z0-9-]+$/.test(model.name)) throw new Error(`Harness model name '${model.name}' must match [a-z0-9-]+`);
  if (models.has(model.name)) throw new Error(`Harness model '${model.name}' is registered twice`);
  models.set(model.name, model);
}

/** The registered models, in registration order. */
export function harnessModels(): HarnessModel[] {
  return [...models.values()];
}

async function golden(t: tf.Tensor): Promise<GoldenTensor> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  return { dtype, dims: t.shape, data: Array.from(await t.data()) };
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
    const model = await spec.build();
    const xs = spec.inputs ? spec.inputs(model) : randomInputs(model, 3);
    const ys = tf.tidy(() => {
      const y = model.predict(xs.length === 1 ? xs[0] : xs);
      return Array.isArray(y) ? y : [y];
    });
    const entry: Golden = {
      name: spec.name,
      inputs: await Promise.all(xs.map(golden)),
      outputs: await Promise.all(ys.map(golden)),
      notOnWebGpu: spec.notOnWebGpu ?? {},
      tolerance: spec.tolerance ?? 1e-4,
    };
    tf.dispose([...xs, ...ys]);
    mkdirSync(join(dir, spec.name), { recursive: true });
    writeFileSync(join(dir, spec.name, 'model.onnx'), await exportOnnx(model));
    writeFileSync(join(dir, spec.name, 'golden.json'), JSON.stringify(entry));
    written.push(entry);
    model.dispose();
  }
  writeFileSync(join(dir, 'index.json'), JSON.stringify(written.map((g) => g.name)));
  return written;
}
