/** Image classification with an exported CNN: pixels -> input by the preprocessing in the model's metadata. */
import { argmax, type CreateSessionOptions, createSession, type ModelSource, OnnxModel, readMetadataProps, type ZooSession } from '@neurozoo/core/runtime';
import { type ImageInput, ImageInputError, imagesToInput, type PixelOptions, type PreprocessingInfo } from './pixels.js';

/** One image's result. */
export interface ImageClass {
  /** Predicted class id. */
  classId: number;
  /** Its name from the model's metadata ('7', 'Sneaker', ...), or the id as text. */
  label: string;
  /** Its probability. */
  probability: number;
  /** Every class's probability. */
  probabilities: Float32Array;
}

/** Options of {@link OnnxImageClassifier.load}. */
export interface LoadImageClassifierOptions extends CreateSessionOptions {
  /** Preprocessing for models exported without it in their metadata. */
  preprocessing?: PreprocessingInfo;
}

async function readBytes(model: ModelSource): Promise<Uint8Array> {
  if (model instanceof Uint8Array) return model;
  if (model instanceof ArrayBuffer) return new Uint8Array(model);
  const text = String(model);
  if (/^(https?|blob|data):/.test(text)) return new Uint8Array(await (await fetch(text)).arrayBuffer());
  const { readFile } = await import('node:fs/promises');
  return new Uint8Array(await readFile(model instanceof URL ? model : text));
}

/** An image classifier exported by @neurozoo/cnn, run by onnxruntime. */
export class OnnxImageClassifier extends OnnxModel {
  private constructor(
    session: ZooSession,
    /** How pixels become inputs (from the model's metadata). */
    readonly preprocessing: PreprocessingInfo,
    /** Class names from the metadata (`neurozoo.classes`), if any. */
    readonly labels: string[] | undefined,
  ) {
    super(session);
  }

  /** Opens the model (bytes, a path in Node, or a URL) on the first device that works. */
  static async load(model: ModelSource, options: LoadImageClassifierOptions = {}): Promise<OnnxImageClassifier> {
    const { preprocessing, ...sessionOptions } = options;
    const bytes = await readBytes(model);
    const meta = readMetadataProps(bytes);
    const pre = preprocessing ?? (meta['neurozoo.preprocessing'] ? (JSON.parse(meta['neurozoo.preprocessing']) as PreprocessingInfo) : undefined);
    if (!pre) {
      throw new ImageInputError("The model has no 'neurozoo.preprocessing' metadata (not exported by @neurozoo/cnn): pass options.preprocessing.");
    }
    const labels = meta['neurozoo.classes'] ? (JSON.parse(meta['neurozoo.classes']) as string[]) : undefined;
    return new OnnxImageClassifier(await createSession(bytes, sessionOptions), pre, labels);
  }

  /** Classifies one image or a batch (each must be the model's width x height; see {@link ImageInput}). */
  async classify(images: ImageInput | ImageInput[], options: PixelOptions = {}): Promise<ImageClass[]> {
    const batch = Array.isArray(images) ? images : [images];
    if (batch.length === 0) return [];
    const feed = imagesToInput(batch, this.preprocessing, options);
    const outputs = await this.session.run(feed);
    const out = outputs[this.session.outputs[0].name];
    const scores = out.data as Float32Array;
    const k = out.dims[1];
    return Array.from(argmax(scores, out.dims), (classId, n) => {
      const probabilities = scores.slice(n * k, (n + 1) * k);
      return { classId, label: this.labels?.[classId] ?? String(classId), probability: probabilities[classId], probabilities };
    });
  }
}
