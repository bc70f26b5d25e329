/**
 * `@neurozoo/transformer/runtime`: text generation and grapheme-to-phoneme decoding (greedy
 * and beam search, {@link OnnxG2P}) from the exported ONNX graphs with onnxruntime alone (no
 * tfjs). With the decode-step graph, a prompt is prefilled once and every further token is one
 * step over the key/value cache; without it, every token reruns the full-sequence graph on the
 * whole window (for comparison).
 *
 * @example
 * ```ts
 * import { pipeline } from '@neurozoo/transformer/runtime';
 * const generate = await pipeline('generate', 'out/gpt-brown'); // model.onnx, decode-step.onnx, vocab.json
 * const { text } = await generate('The jury', { maxTokens: 100, temperature: 0.8, topK: 10 });
 * const transcribe = await pipeline('transcribe', 'out/g2p-transformer'); // + encoder.onnx, decoder-step.onnx
 * const [{ phonemes }] = await transcribe(['neural'], { beam: 4 });
 * ```
 * `OnnxLanguageModel` (with {@link CharVocabulary}) and `OnnxG2P` are the classes underneath.
 */
import { type CreateSessionOptions, createSession, type ModelSource, type OutputTensor, registerTask, type TaskHandler, type ZooSession } from '@neurozoo/core/runtime';
import { checkSampling, pickToken, type SamplingOptions, seededRandom } from '@neurozoo/core/runtime';
import { type G2PVocab, OnnxG2P } from './g2p.js';
import { nextWindowStart } from './window.js';

export { type Pipeline, type PipelineOptions, pipeline } from '@neurozoo/core/runtime';
export { checkSampling, pickToken, type SamplingOptions, seededRandom } from '@neurozoo/core/runtime';
export { nextWindowStart } from './window.js';
/** The G2P vocabulary, decoding search and scores are core's, shared with the rnn family. */
export {
  beamSearch,
  BOS,
  type Decoded,
  type DecoderStep,
  decodeTarget,
  editDistance,
  encodeSource,
  encodeTarget,
  encodeWord,
  EOS,
  errorRates,
  g2pVocab,
  greedySearch,
  PAD,
  padRows,
  sourceSize,
  targetSize,
  wordSymbols,
} from '@neurozoo/core/runtime';
export { G2PInputError, type G2PVocab, OnnxG2P, type OnnxG2POptions, type OnnxG2PPrediction } from './g2p.js';

/** Options of {@link OnnxLanguageModel.generate}. */
export interface GenerateOptions extends SamplingOptions {
  /** Tokens to add to the prompt. */
  maxTokens: number;
  /** Seed of sampling (default 0). */
  seed?: number;
  /** Use the decode-step graph and its cache (default true when it was loaded). */
  cache?: boolean;
  /** Stop after generating this id. */
  stopId?: number;
}

/** What {@link OnnxLanguageModel.generate} returns. */
export interface Generation {
  /** Prompt followed by the generated ids. */
  ids: number[];
  /** The generated ids only. */
  generated: number[];
  seconds: number;
  tokensPerSecond: number;
  /** Whether the key/value cache was used. */
  cached: boolean;
}

/** Characters <-> ids for the character LMs (ids are positions in `vocabulary`; unknown characters map to `unknownId`). */
export class CharVocabulary {
  private readonly index = new Map<string, number>();
  constructor(readonly vocabulary: readonly string[], readonly unknownId = 0) {
    vocabulary.forEach((c, i) => this.index.set(c, i));
  }
  encode(text: string): number[] {
    return Array.from(text, (c) => this.index.get(c) ?? this.unknownId);
  }
  decode(ids: readonly number[]): string {
    return ids.map((i) => this.vocabulary[i] ?? '').join('');
  }
}

/** A GPT-style LM in onnxruntime: the decode-step graph (KV cache) and/or the full-sequence graph. */
export class OnnxLanguageModel {
  private constructor(
    private readonly step: ZooSession | null,
    private readonly full: ZooSession | null,
    /** Longest window the model was trained for. */
    readonly contextLength: number,
  ) {}

  /** Loads the graphs (paths or bytes); at least one of `step` (decode-step.onnx) and `full` (model.onnx). */
  static async load(sources: { step?: ModelSource; full?: ModelSource }, options: { contextLength: number } & CreateSessionOptions): Promise<OnnxLanguageModel> {
    if (!sources.step && !sources.full) throw new RangeError('OnnxLanguageModel.load needs the decode-step graph, the full graph, or both');
    const { contextLength, ...sessionOptions } = options;
    const step = sources.step ? await createSession(sources.step, sessionOptions) : null;
    const full = sources.full ? await createSession(sources.full, sessionOptions) : null;
    return new OnnxLanguageModel(step, full, contextLength);
  }

  /** The device that runs the model. */
  get provider(): string {
    return (this.step ?? this.full)?.provider ?? 'none';
  }

  /** The session that runs generation by default: the decode-step graph's, else the full graph's. */
  get session(): ZooSession {
    return (this.step ?? this.full) as ZooSession;
  }

  /** Continues `prompt` (ids) by `maxTokens` tokens; greedy unless a temperature is given. */
  async generate(prompt: readonly number[], options: GenerateOptions): Promise<Generation> {
    checkSampling(options);
    if (prompt.length === 0) throw new RangeError('generate needs a prompt of at least one token');
    const cached = (options.cache ?? true) && this.step !== null;
    if (!cached && !this.full) throw new RangeError('generate without the cache needs the full-sequence graph (model.onnx)');
    const random = seededRandom(options.seed ?? 0);
    const ids = [...prompt];
    let start = Math.max(0, ids.length - this.contextLength);
    let cache: Record<string, OutputTensor> | null = null;
    const t0 = performance.now();
    for (let i = 0; i < options.maxTokens; i++) {
      const s = nextWindowStart(start, ids.length, this.contextLength);
      if (s !== start) cache = null;
      start = s;
      let row: Float32Array;
      if (cached) {
        const feed = cache ? ids.slice(-1) : ids.slice(start);
        const out = await this.runStep(feed, cache);
        row = lastRow(out.logits);
        cache = out;
      } else {
        const window = ids.slice(start);
        const session = this.full as ZooSession;
        const out = await session.run({ [session.inputs[0].name]: { data: Float32Array.from(window), dims: [1, window.length] } });
        row = lastRow(out[session.outputs[0].name]);
      }
      const next = pickToken(row, options, random);
      ids.push(next);
      if (next === options.stopId) break;
    }
    const seconds = (performance.now() - t0) / 1000;
    const generated = ids.slice(prompt.length);
    return { ids, generated, seconds, tokensPerSecond: generated.length / Math.max(seconds, 1e-9), cached };
  }

  /** One decode step: `tokens` new ids after the cached ones (an empty cache when `cache` is null). */
  private async runStep(tokens: number[], cache: Record<string, OutputTensor> | null): Promise<Record<string, OutputTensor>> {
    const session = this.step as ZooSession;
    const feeds: Record<string, { data: Float32Array; dims: number[] }> = { ids: { data: Float32Array.from(tokens), dims: [1, tokens.length] } };
    for (const input of session.inputs) {
      if (input.name === 'ids') continue;
      const present = cache?.[input.name.replace('past_', 'present_')];
      const dims = input.dims as number[];
      feeds[input.name] = present ? { data: present.data as Float32Array, dims: present.dims } : { data: new Float32Array(0), dims: [1, dims[1], 0, dims[3]] };
    }
    return session.run(feeds);
  }

  /** Frees the sessions. */
  async release(): Promise<void> {
    await this.step?.release();
    await this.full?.release();
  }
}

/** The logits of the last position of a [1, T, V] output. */
function lastRow(t: OutputTensor): Float32Array {
  const v = t.dims[2];
  const data = t.data as Float32Array;
  return data.subarray(data.length - v);
}

const g2pHandler: TaskHandler<'transcribe'> = {
  task: 'transcribe',
  family: 'transformer',
  name: 'OnnxG2P',
  accepts: (model) => model.metadata['neurozoo.vocab'] !== undefined,
  async open(model, options) {
    const vocab = JSON.parse(model.metadata['neurozoo.vocab']) as G2PVocab;
    const [encoder, decoderStep] = await Promise.all([model.graph('encoder', 'encoder.onnx'), model.graph('decoder-step', 'decoder-step.onnx')]);
    const g2p = await OnnxG2P.load(encoder, decoderStep, vocab, options);
    return {
      session: g2p.encoder,
      release: () => g2p.release(),
      run: (input, { beam }) => g2p.predict(typeof input === 'string' ? [input] : input, { beam }),
    };
  },
};

/** vocab.json of a character GPT, as `neurozoo train gpt` writes it. */
interface GptVocab {
  vocabulary: string[];
  contextLength: number;
}

const lmHandler: TaskHandler<'generate'> = {
  task: 'generate',
  family: 'transformer',
  name: 'OnnxLanguageModel',
  accepts: (model) => model.metadata['neurozoo.arch'] === 'gpt',
  async open(model, options) {
    const [step, { vocabulary, contextLength }] = await Promise.all([model.graph('decode-step', 'decode-step.onnx'), model.json<GptVocab>('vocab.json')]);
    const vocab = new CharVocabulary(vocabulary, Math.max(0, vocabulary.indexOf(' ')));
    const lm = await OnnxLanguageModel.load({ step }, { ...options, contextLength });
    return {
      session: lm.session,
      release: () => lm.release(),
      async run(prompt, { maxTokens = 200, ...sampling }) {
        const out = await lm.generate(vocab.encode(prompt), { ...sampling, maxTokens });
        return { text: vocab.decode(out.generated), ids: out.generated, tokensPerSecond: out.tokensPerSecond };
      },
    };
  },
};

registerTask(g2pHandler, lmHandler);
