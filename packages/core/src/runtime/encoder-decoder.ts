/**
 * The onnxruntime side of neurozoo's encoder-decoders: an `encoder.onnx` + `decoder-step.onnx`
 * session pair, decoded greedily or by beam search with {@link greedySearch} / {@link beamSearch}.
 * Each family adds only its step adapter ({@link OnnxEncoderDecoder.stepFor}): how its encoder
 * output and decoder state (LSTM states, a key/value cache) become the feeds of one step.
 */
import { beamSearch, type Decoded, type DecoderStep, greedySearch } from './search.js';
import type { Seq2SeqVocab } from './seq2seq-vocab.js';
import type { CreateSessionOptions, Device, ModelSource, ZooSession } from './types.js';

/** How {@link decodeSources} decodes: beam width (1 = greedy, default) and sources per greedy batch. */
export interface DecodeOptions {
  /** Beam width; 1 (default) is greedy decoding. */
  beam?: number;
  /** Sources decoded together by greedy search (default 256); beam search takes one at a time. */
  batchSize?: number;
}

/** Makes the decoder step over a batch of encoded sources (see {@link DecoderStep}). */
export type StepFactory = (sources: readonly Int32Array[]) => DecoderStep | Promise<DecoderStep>;

/**
 * Decodes encoded sources with any step (tfjs or onnxruntime): greedy in batches of
 * `options.batchSize`, or beam search one source at a time keeping its best sequence. Results in
 * source order.
 */
export async function decodeSources(stepFor: StepFactory, sources: readonly Int32Array[], maxLength: number, options: DecodeOptions = {}): Promise<Decoded[]> {
  const width = options.beam ?? 1;
  const out: Decoded[] = [];
  if (width > 1) {
    for (const s of sources) out.push((await beamSearch(await stepFor([s]), width, maxLength))[0]);
    return out;
  }
  const size = options.batchSize ?? 256;
  for (let i = 0; i < sources.length; i += size) {
    const chunk = sources.slice(i, i + size);
    out.push(...(await greedySearch(await stepFor(chunk), chunk.length, maxLength)));
  }
  return out;
}

/** Opens a model: the `createSession` of `@neurozoo/core/runtime` (Node or web). */
export type SessionFactory = (model: ModelSource, options?: CreateSessionOptions) => Promise<ZooSession>;

/**
 * Opens the encoder and the decoder-step graph with `create`; when the second fails the first is
 * released before the error propagates.
 */
export async function openSessionPair(
  create: SessionFactory,
  encoder: ModelSource,
  decoderStep: ModelSource,
  options?: CreateSessionOptions,
): Promise<[ZooSession, ZooSession]> {
  const first = await create(encoder, options);
  try {
    return [first, await create(decoderStep, options)];
  } catch (error) {
    await first.release();
    throw error;
  }
}

/**
 * An exported encoder-decoder run by onnxruntime: the encoder and decoder-step sessions and the
 * model's vocabulary. Subclasses give {@link stepFor}; decoding and release are shared.
 */
export abstract class OnnxEncoderDecoder {
  protected constructor(
    readonly encoder: ZooSession,
    readonly decoder: ZooSession,
    readonly vocab: Seq2SeqVocab,
  ) {}

  /** The device that runs the decoder. */
  get provider(): Device {
    return this.decoder.provider;
  }

  /** Runs the encoder on `sources` and returns the decoder step over them. */
  abstract stepFor(sources: readonly Int32Array[]): Promise<DecoderStep>;

  /** Decodes encoded sources (see {@link decodeSources}), at most `vocab.maxTargetLength` tokens each. */
  decodeIds(sources: readonly Int32Array[], options: DecodeOptions = {}): Promise<Decoded[]> {
    return decodeSources((s) => this.stepFor(s), sources, this.vocab.maxTargetLength, options);
  }

  /** Frees both sessions. */
  async release(): Promise<void> {
    await Promise.all([this.encoder.release(), this.decoder.release()]);
  }
}
