/**
 * `@neurozoo/autoencoder/runtime`: encode, decode, reconstruct and score anomalies with the
 * exported encoder/decoder/autoencoder graphs, using onnxruntime only (no tfjs), in Node
 * (onnxruntime-node) or a browser (onnxruntime-web).
 *
 * @example
 * ```ts
 * import { pipeline } from '@neurozoo/autoencoder/runtime';
 * const encode = await pipeline('encode', 'out/deep-autoencoder'); // its encoder.onnx
 * const { data: codes, dims } = await encode(pixels);            // [n, 30]
 * const decode = await pipeline('decode', 'out/deep-autoencoder'); // its decoder.onnx
 * const images = await decode(codes);
 * const score = await pipeline('score', 'out/deep-autoencoder');   // model.onnx: per-sample SSE
 * const { scores, anomalies } = await score(pixels, { threshold: 40 });
 * ```
 * `OnnxAutoencoder` is the class underneath (with `calibrate` and `detect`).
 */
import { type CreateSessionOptions, createSession, type ModelSource, registerTask, type TaskHandler, type TaskRunner, type ZooSession } from '@neurozoo/core/runtime';
import { chooseThreshold, rocAuc } from '../metrics.js';

export { chooseThreshold, rocAuc };
export { type Pipeline, type PipelineOptions, pipeline } from '@neurozoo/core/runtime';
export type { ModelSource } from '@neurozoo/core/runtime';

/** The graphs to load; any subset, as long as what is called has what it needs. */
export interface AutoencoderSources {
  encoder?: ModelSource;
  decoder?: ModelSource;
  autoencoder?: ModelSource;
}

/** Flat float data with its shape, batch first. */
export interface Batch {
  data: Float32Array;
  dims: number[];
}

/** Result of {@link OnnxAutoencoder.detect}. */
export interface Detection {
  /** Per-sample sum of squared reconstruction errors. */
  scores: Float32Array;
  /** 1 where the score is above the threshold. */
  anomalies: Uint8Array;
  threshold: number;
}

const perSample = (s: ZooSession) => (s.inputs[0].dims ?? []).slice(1).reduce<number>((a: number, d: number | string) => a * (typeof d === 'number' ? d : 1), 1);

/** The exported graphs of a neurozoo autoencoder, run by onnxruntime. */
export class OnnxAutoencoder {
  /** Anomaly threshold on the per-sample error, set by {@link calibrate} or by hand. */
  threshold: number | undefined;

  private constructor(private readonly sessions: { encoder?: ZooSession; decoder?: ZooSession; autoencoder?: ZooSession }) {}

  /** Opens the given graphs, each on the first device that works. */
  static async load(sources: AutoencoderSources, options?: CreateSessionOptions): Promise<OnnxAutoencoder> {
    const open = (s?: ModelSource) => (s === undefined ? undefined : createSession(s, options));
    const [encoder, decoder, autoencoder] = await Promise.all([open(sources.encoder), open(sources.decoder), open(sources.autoencoder)]);
    if (!encoder && !decoder && !autoencoder) throw new TypeError('OnnxAutoencoder.load needs at least one of encoder, decoder, autoencoder');
    return new OnnxAutoencoder({ encoder, decoder, autoencoder });
  }

  /** The session the pipeline reports: the full graph's, else the encoder's, else the decoder's. */
  get session(): ZooSession {
    const { autoencoder, encoder, decoder } = this.sessions;
    return (autoencoder ?? encoder ?? decoder) as ZooSession;
  }

  private need(name: 'encoder' | 'decoder' | 'autoencoder'): ZooSession {
    const s = this.sessions[name];
    if (!s) throw new TypeError(`This OnnxAutoencoder was loaded without the ${name} graph`);
    return s;
  }

  /** Runs one graph on flat data; the input's non-batch shape comes from the graph. */
  private async run(session: ZooSession, data: Float32Array): Promise<Batch> {
    const per = perSample(session);
    if (data.length % per !== 0) throw new RangeError(`Expected a multiple of ${per} values per sample, got ${data.length}`);
    const dims = [data.length / per, ...(session.inputs[0].dims ?? [])
      .slice(1).map((d: number | string) => (typeof d === 'number' ? d : 1))];
    const out = (await session.run({ data, dims }))[session.outputs[0].name];
    return { data: out.data as Float32Array, dims: out.dims };
  }

  /** Codes of the samples (encoder graph). */
  async encode(x: Float32Array): Promise<Batch> {
    return this.run(this.need('encoder'), x);
  }

  /** Samples back from codes (decoder graph). */
  async decode(code: Float32Array): Promise<Batch> {
    return this.run(this.need('decoder'), code);
  }

  /** Reconstructions: the full graph, or encoder then decoder when it was not loaded. */
  async reconstruct(x: Float32Array): Promise<Batch> {
    if (this.sessions.autoencoder) return this.run(this.sessions.autoencoder, x);
    return this.decode((await this.encode(x)).data);
  }

  /** Per-sample sum of squared reconstruction errors, in chunks of `chunk` samples. */
  async scores(x: Float32Array, chunk = 1000): Promise<Float32Array> {
    const per = perSample(this.sessions.autoencoder ?? this.need('encoder'));
    const n = x.length / per;
    const out = new Float32Array(n);
    for (let from = 0; from < n; from += chunk) {
      const part = x.subarray(from * per, Math.min(n, from + chunk) * per);
      const rec = (await this.reconstruct(part)).data;
      for (let i = 0; i < part.length / per; i++) {
        let s = 0;
        for (let j = i * per; j < (i + 1) * per; j++) s += (part[j] - rec[j]) ** 2;
        out[from + i] = s;
      }
    }
    return out;
  }

  /** Sets {@link threshold} to the `quantile` (default 0.99) of the errors on normal validation samples, and returns it. */
  async calibrate(validation: Float32Array, quantile = 0.99): Promise<number> {
    this.threshold = chooseThreshold(await this.scores(validation), quantile);
    return this.threshold;
  }

  /** Scores samples and flags those above the threshold (call {@link calibrate} first, or set it). */
  async detect(x: Float32Array): Promise<Detection> {
    const threshold = this.threshold;
    if (threshold === undefined) throw new TypeError('No threshold: call calibrate(validation) or set threshold first');
    const scores = await this.scores(x);
    return { scores, anomalies: Uint8Array.from(scores, (s) => (s > threshold ? 1 : 0)), threshold };
  }

  /** Frees every onnxruntime session. */
  async release(): Promise<void> {
    await Promise.all(Object.values(this.sessions).map((s) => s?.release()));
  }
}

/** What `pipeline('score', ...)` returns. */
export interface AnomalyScores {
  /** Per-sample sum of squared reconstruction errors. */
  scores: Float32Array;
  /** 1 where the score is above `threshold` (only when a threshold was given). */
  anomalies?: Uint8Array;
}

declare module '@neurozoo/core/runtime' {
  interface PipelineTasks {
    /** Codes -> samples (the decoder graph). */
    decode: { input: Float32Array; options: Record<string, never>; output: Batch };
    /** Samples -> per-sample reconstruction error, and anomaly flags above `threshold`. */
    score: { input: Float32Array; options: { threshold?: number }; output: AnomalyScores };
  }
}

/** A handler of one autoencoder graph: which graph, where it is beside the main one, and the task's call. */
function graphHandler<T extends 'encode' | 'decode' | 'score'>(
  task: T,
  graph: 'encoder' | 'decoder' | 'autoencoder',
  run: (ae: OnnxAutoencoder) => TaskRunner<T>['run'],
): TaskHandler<T> {
  return {
    task,
    family: 'autoencoder',
    name: 'OnnxAutoencoder',
    accepts: () => true,
    async open(model, options) {
      const own = model.metadata['neurozoo.graph'];
      // neurozoo train's model.onnx is the full graph (no neurozoo.graph); encoder.onnx and decoder.onnx sit beside it.
      const bytes = own === graph || (own === undefined && graph === 'autoencoder') ? model.bytes : await model.file(graph === 'autoencoder' ? 'model.onnx' : `${graph}.onnx`);
      const ae = await OnnxAutoencoder.load({ [graph]: bytes }, options);
      return { session: ae.session, release: () => ae.release(), run: run(ae) };
    },
  };
}

registerTask(
  graphHandler('encode', 'encoder', (ae) => (x) => ae.encode(x)),
  graphHandler('decode', 'decoder', (ae) => (codes) => ae.decode(codes)),
  graphHandler('score', 'autoencoder', (ae) => async (x, { threshold }) => {
    const scores = await ae.scores(x);
    return threshold === undefined ? { scores } : { scores, anomalies: Uint8Array.from(scores, (s) => (s > threshold ? 1 : 0)) };
  }),
);
