/**
 * Grapheme-to-phoneme decoding with onnxruntime only: `encoder.onnx` once per batch of words
 * (padding mask and cross-attention keys/values of every decoder block), then
 * `decoder-step.onnx` once per output step over the self-attention KV cache. Greedy decoding
 * batches words; beam search keeps one row per beam. Loading, searching and release are core's
 * {@link OnnxEncoderDecoder} (the tfjs model's search, so both give the same tokens); this file
 * is the KV-cache step adapter.
 */
import {
  type CreateSessionOptions,
  createSession,
  type DecodeOptions,
  type DecoderStep,
  decodeTarget,
  encodeWord,
  gatherRows,
  type ModelSource,
  OnnxEncoderDecoder,
  type OutputTensor,
  openSessionPair,
  padRows,
  Seq2SeqInputError,
  type Seq2SeqVocab,
} from '@neurozoo/core/runtime';

/** The vocabulary of a G2P model: core's {@link Seq2SeqVocab} (the same vocab.json layout as the rnn family's). */
export type G2PVocab = Seq2SeqVocab;

/** Bad input for a G2P model (empty, too long, unknown letters): core's {@link Seq2SeqInputError}, a DataError. */
export const G2PInputError = Seq2SeqInputError;
/** An instance of {@link G2PInputError}. */
export type G2PInputError = Seq2SeqInputError;

/** A pronunciation: phonemes, their ids and log-probability. */
export interface OnnxG2PPrediction {
  word: string;
  phonemes: string[];
  ids: number[];
  logProb: number;
}

/** Options of {@link OnnxG2P.predict}: beam width (1 = greedy, default) and words per greedy batch (default 256). */
export type OnnxG2POptions = DecodeOptions;

const isIdentity = (rows: Int32Array, n: number) => rows.length === n && rows.every((r, i) => r === i);

/** A G2P transformer exported by `G2PTransformer.export()` (@neurozoo/transformer), run by onnxruntime. */
export class OnnxG2P extends OnnxEncoderDecoder {
  /** Opens both graphs (bytes, paths, or URLs in browsers); `vocab` is the model's vocab.json. */
  static async load(encoder: ModelSource, decoderStep: ModelSource, vocab: G2PVocab, options?: CreateSessionOptions): Promise<OnnxG2P> {
    const [enc, dec] = await openSessionPair(createSession, encoder, decoderStep, options);
    return new OnnxG2P(enc, dec, vocab);
  }

  /** A decoder step over the KV cache for the encoded `sources` (see {@link DecoderStep}). */
  async stepFor(sources: readonly Int32Array[]): Promise<DecoderStep> {
    const n = sources.length;
    const padded = padRows(sources);
    const memory = await this.encoder.run({ source: { data: padded.data, dims: [n, padded.length] } });
    const memoryNames = this.decoder.inputs.map((i) => i.name).filter((name) => name.startsWith('memory_'));
    const pastNames = this.decoder.inputs.map((i) => i.name).filter((name) => name.startsWith('past_'));
    let cache: Record<string, OutputTensor> | null = null;
    let rowSource = new Int32Array(0);
    return async (tokens, parents) => {
      const rows = tokens.length;
      rowSource = cache ? parents.map((p) => rowSource[p]) : Int32Array.from(parents);
      const feeds: Record<string, { data: Float32Array; dims: number[] }> = { ids: { data: Float32Array.from(tokens), dims: [rows, 1] } };
      for (const name of memoryNames) {
        const t = memory[name];
        const rowSize = t.data.length / n;
        feeds[name] = { data: isIdentity(rowSource, n) ? (t.data as Float32Array) : gatherRows(t.data as Float32Array, rowSize, rowSource), dims: [rows, ...t.dims.slice(1)] };
      }
      for (const name of pastNames) {
        const present = cache?.[name.replace('past_', 'present_')];
        if (!present) {
          const dims = this.decoder.inputs.find((i) => i.name === name)?.dims as number[];
          feeds[name] = { data: new Float32Array(0), dims: [rows, dims[1], 0, dims[3]] };
        } else {
          const prevRows = present.dims[0];
          const data = isIdentity(parents, prevRows) ? (present.data as Float32Array) : gatherRows(present.data as Float32Array, present.data.length / prevRows, parents);
          feeds[name] = { data, dims: [rows, ...present.dims.slice(1)] };
        }
      }
      const out = await this.decoder.run(feeds);
      cache = out;
      return { logits: out.logits.data as Float32Array };
    };
  }

  /**
   * Pronounces each word (lower-cased letters -> phonemes). Throws G2PInputError for an empty word,
   * one longer than the model accepts, or letters outside its vocabulary, before running anything.
   */
  async predict(words: readonly string[], options: OnnxG2POptions = {}): Promise<OnnxG2PPrediction[]> {
    const sources = words.map((w) => encodeWord(this.vocab, w));
    const decoded = await this.decodeIds(sources, options);
    return decoded.map((d, i) => ({ word: words[i], phonemes: decodeTarget(this.vocab, d.ids), ids: d.ids, logProb: d.logProb }));
  }
}
