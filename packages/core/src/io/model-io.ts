import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { NeurozooError } from '../errors.js';
import { tf } from '../tf.js';
import { writeFileAtomic } from './atomic.js';

const WEIGHTS_FILE = 'weights.bin';

/** Joins the weight buffers tfjs may hand over (one ArrayBuffer or several) into one. */
function concatWeightData(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  const parts = Array.isArray(data) ? data : [data];
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out;
}

/**
 * Saves a tfjs LayersModel to `dir` as `model.json` + `weights.bin` (the format
 * `tf.loadLayersModel` reads), with pure tfjs: no tfjs-node `file://` handler needed.
 * Weights are written before model.json, each atomically, so a crash never leaves a
 * model.json that points at missing weights.
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (artifacts.weightData == null || artifacts.weightSpecs == null) {
        throw new NeurozooError('E_IO', 'tfjs produced no weights to save');
      }
      await writeFileAtomic(join(dir, WEIGHTS_FILE), concatWeightData(artifacts.weightData));
      const modelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs }],
      };
      await writeFileAtomic(join(dir, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/**
 * Loads a LayersModel saved by {@link saveModel}, or any tfjs layers-format folder
 * (model.json + the weight files its manifest lists, e.g. from tensorflowjs_converter).
 */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const jsonPath = join(dir, 'model.json');
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(await fs.readFile(jsonPath, 'utf8'));
  } catch (err) {
    throw new NeurozooError('E_IO', `Cannot read a tfjs model from ${jsonPath}: ${(err as Error).message}`);
  }
  if (modelJson.modelTopology == null) {
    throw new NeurozooError('E_IO', `${jsonPath} has no modelTopology: it is not a tfjs layers model`);
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of modelJson.weightsManifest ?? []) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(new Uint8Array(await fs.readFile(join(dir, p))));
  }
  const weightData = concatWeightData(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: specs,
      weightData: weightData.buffer as ArrayBuffer,
      trainingConfig: modelJson.trainingConfig,
    }),
  );
}
