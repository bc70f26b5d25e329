/**
 * `@neurozoo/rbm-dbn/runtime`: run exported RBMs and DBNs with onnxruntime only (no tfjs), in
 * Node or a browser: classify, extract features, and sample by Gibbs chains whose noise is
 * drawn here (seeded) and fed to the exported Gibbs-step graph, so it runs on WebGPU too.
 *
 * @example
 * ```ts
 * import { pipeline } from '@neurozoo/rbm-dbn/runtime';
 * const sample = await pipeline('sample', 'out/dbn-sampler.onnx');
 * const { images } = await sample({ n: 16, steps: 200, seed: 1 }); // [16, 784] pixel probabilities
 * const classify = await pipeline('classify', 'out/dbn-mnist/model.onnx');
 * const best = await classify(images); // one class per row
 * const features = await pipeline('encode', 'out/dbn-features.onnx'); // exportDbnFeatures
 * const { data, dims } = await features(images); // [16, 2000] top-layer hidden probabilities
 * ```
 * `OnnxClassifier`, `OnnxFeatureExtractor` and `OnnxGibbsSampler` are the classes underneath.
 */
import {
  type CreateSessionOptions,
  createSession,
  type ModelSource,
  OnnxModel,
  registerTask,
  rowClassifierHandler,
  seededRandom,
  ShapeError,
  type TaskHandler,
  type ZooSession,
} from '@neurozoo/core/runtime';

/** An exported DBN classifier or RBM + logistic regression: core's generic single-input classifier. */
export { type Classification, OnnxClassifier, type Pipeline, type PipelineOptions, pipeline } from '@neurozoo/core/runtime';

const width = (session: ZooSession, input: number) => {
  const dims = session.inputs[input].dims;
  return typeof dims?.[1] === 'number' ? dims[1] : Number.NaN;
};

/** An exported RBM transform or DBN feature extractor: rows in, hidden probabilities out. */
export class OnnxFeatureExtractor extends OnnxModel {
  /** Opens the model on the first device that works. */
  static async load(model: ModelSource, options?: CreateSessionOptions): Promise<OnnxFeatureExtractor> {
    return new OnnxFeatureExtractor(await createSession(model, options));
  }

  /** Hidden probabilities [samples, hidden] of `samples` rows. */
  async transform(x: Float32Array, samples = 1): Promise<Float32Array> {
    const outputs = await this.session.run({ data: x, dims: [samples, x.length / samples] });
    return outputs[this.session.outputs[0].name].data as Float32Array;
  }
}

/** What {@link OnnxGibbsSampler.sample} returns (row-major). */
export interface GibbsSamples {
  /** Last step's E[v|h] [n, visible]. */
  vProb: Float32Array;
  /** Last step's v sample [n, visible]. */
  vSample: Float32Array;
  /** The DBN's top-down pass of `vProb` [n, pixels] (a DBN sampler), else `vProb`. */
  images: Float32Array;
  provider: string;
}

/** Options of {@link OnnxGibbsSampler.sample}. */
export interface GibbsSampleOptions {
  /** Chains to run from random binary rows (default 16; ignored with `from`). */
  n?: number;
  /** Start rows of the (top) RBM's visible layer. */
  from?: Float32Array;
  /** Gibbs steps (default 200). */
  steps?: number;
  /** Seed of all the noise (default 0). */
  seed?: number;
  /** Gaussian visible units: standard normal `noise_v` (the pipeline sets it from the graph's `neurozoo.visibleType`). */
  gaussian?: boolean;
}

/** Runs Gibbs chains with an exported Gibbs-step graph (`exportGibbsStep` / `exportDbnSampler`). */
export class OnnxGibbsSampler extends OnnxModel {
  /** Opens the Gibbs-step graph on the first device that works. */
  static async load(model: ModelSource, options?: CreateSessionOptions): Promise<OnnxGibbsSampler> {
    return new OnnxGibbsSampler(await createSession(model, options));
  }

  /** Visible units of the (top) RBM. */
  get visible(): number {
    return width(this.session, 0);
  }

  /** Hidden units of the (top) RBM. */
  get hidden(): number {
    return width(this.session, 1);
  }

  /**
   * Runs `steps` Gibbs steps (default 200) from `from` (rows of the top RBM's visible layer) or
   * from random binary rows; `seed` seeds all the noise. Gaussian visible units (the graph's
   * metadata says so) get standard normal `noise_v` (Box-Muller).
   */
  async sample(options: GibbsSampleOptions = {}): Promise<GibbsSamples> {
    const { steps = 200, seed = 0, gaussian = false } = options;
    const nv = this.visible;
    const nh = this.hidden;
    const n = options.from ? options.from.length / nv : (options.n ?? 16);
    const rand = seededRandom(seed);
    const fill = (size: number) => Float32Array.from({ length: size }, rand);
    const normal = (size: number) => Float32Array.from({ length: size }, () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
    let v: Float32Array<ArrayBufferLike> = options.from ? Float32Array.from(options.from) : Float32Array.from(fill(n * nv), (u) => (u < 0.5 ? 1 : 0));
    let out: Record<string, { data: unknown }> = {};
    for (let s = 0; s < Math.max(1, steps); s++) {
      out = await this.session.run({
        v: { data: v, dims: [n, nv] },
        noise_h: { data: fill(n * nh), dims: [n, nh] },
        noise_v: { data: gaussian ? normal(n * nv) : fill(n * nv), dims: [n, nv] },
      });
      v = out.v_sample.data as Float32Array;
    }
    const vProb = out.v_prob.data as Float32Array;
    return { vProb, vSample: v, images: (out.image?.data as Float32Array | undefined) ?? vProb, provider: this.session.provider };
  }
}

declare module '@neurozoo/core/runtime' {
  interface PipelineTasks {
    /** Gibbs chains of an exported RBM or DBN sampler: how many, from where, how long -> the samples. */
    sample: { input: GibbsSampleOptions; options: Record<string, never>; output: GibbsSamples };
  }
}

/** The graph kind an rbm-dbn export names in its metadata ('gibbs-step', 'features'; none for classifiers). */
const graphOf = (metadata: Readonly<Record<string, string>>) => metadata['neurozoo.graph'];

const featuresHandler: TaskHandler<'encode'> = {
  task: 'encode',
  family: 'rbm-dbn',
  name: 'OnnxFeatureExtractor',
  accepts: (model) => graphOf(model.metadata) === 'features',
  async open(model, options) {
    const extractor = await OnnxFeatureExtractor.load(model.bytes, options);
    const width = (extractor.session.inputs[0].dims ?? [])[1];
    return {
      session: extractor.session,
      release: () => extractor.release(),
      async run(rows) {
        const samples = typeof width === 'number' ? rows.length / width : 1;
        if (!Number.isInteger(samples) || samples < 1) throw new ShapeError(`Expected rows of ${width} values, got ${rows.length} values`);
        const data = await extractor.transform(rows, samples);
        return { data, dims: [samples, data.length / samples] };
      },
    };
  },
};

const samplerHandler: TaskHandler<'sample'> = {
  task: 'sample',
  family: 'rbm-dbn',
  name: 'OnnxGibbsSampler',
  accepts: (model) => graphOf(model.metadata) === 'gibbs-step',
  async open(model, options) {
    const sampler = await OnnxGibbsSampler.load(model.bytes, options);
    const gaussian = model.metadata['neurozoo.visibleType'] === 'gaussian';
    return { session: sampler.session, release: () => sampler.release(), run: (input) => sampler.sample({ gaussian, ...input }) };
  },
};

registerTask(rowClassifierHandler('rbm-dbn', createSession), featuresHandler, samplerHandler);
