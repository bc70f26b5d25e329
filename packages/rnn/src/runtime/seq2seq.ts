/**
 * Grapheme-to-phoneme (or any seq2seq) decoding with onnxruntime only: `encoder.onnx` once per
 * input, then `decoder-step.onnx` once per output step, greedy or beam search (the same search
 * code as the tfjs model, so both give the same tokens). Loading, searching and release are
 * core's {@link OnnxEncoderDecoder}; this file is the recurrent step adapter.
 */
import {
  type CreateSessionOptions,
  createSession,
  type DecoderStep,
  decodeTarget,
  encodeSource,
  type ModelSource,
  OnnxEncoderDecoder,
  openSessionPair,
  type Seq2SeqVocab,
  wordSymbols,
} from '@neurozoo/core/runtime';
import { type Decoded, recurrentStep, type StepFn } from './search.js';

/** One prediction: target symbols, their log-probability, and the attention of every output step. */
export interface Prediction {
  symbols: string[];
  logProb: number;
  /** [output steps (EOS included)][source length] attention weights. */
  attention: Float32Array[];
  ids: number[];
}

/** Options of {@link OnnxSeq2Seq.predict}. */
export interface PredictOptions {
  /** Beam width; 1 (default) is greedy decoding. */
  beam?: number;
}

/** A seq2seq model exported by `exportSeq2Seq` (@neurozoo/rnn), run by onnxruntime. */
export class OnnxSeq2Seq extends OnnxEncoderDecoder {
  /** Opens both graphs (bytes, paths, or URLs in browsers); `vocab` is the model's vocab.json. */
  static async load(encoder: ModelSource, decoderStep: ModelSource, vocab: Seq2SeqVocab, options?: CreateSessionOptions): Promise<OnnxSeq2Seq> {
    const [enc, dec] = await openSessionPair(createSession, encoder, decoderStep, options);
    return new OnnxSeq2Seq(enc, dec, vocab);
  }

  /** Decoder state size. */
  get hiddenSize(): number {
    return Number(this.decoder.inputs[1].dims?.[1]);
  }

  /**
   * The recurrent decoder step over one encoded source (the encoder runs on one unpadded
   * sequence, so every row of a step shares its length).
   */
  async stepFor(sources: readonly Int32Array[]): Promise<DecoderStep> {
    if (sources.length !== 1) throw new RangeError(`OnnxSeq2Seq decodes one source at a time, got ${sources.length}`);
    const [ids] = sources;
    const out = await this.encoder.run({ data: Float32Array.from(ids), dims: [1, ids.length] });
    const [states, h0, c0] = this.encoder.outputs.map((o) => out[o.name].data as Float32Array);
    return recurrentStep(this.stepFn(states, ids.length), h0, c0, 1);
  }

  private stepFn(states: Float32Array, steps: number): StepFn {
    const H = this.hiddenSize;
    const [tokenName, hName, cName, encName] = this.decoder.inputs.map((i) => i.name);
    return async (tokens, h, c, source) => {
      const rows = tokens.length;
      const enc = new Float32Array(rows * states.length);
      for (let r = 0; r < rows; r++) enc.set(states.subarray(source[r] * steps * H, (source[r] + 1) * steps * H), r * steps * H);
      const out = await this.decoder.run({
        [tokenName]: { data: tokens, dims: [rows] },
        [hName]: { data: h, dims: [rows, H] },
        [cName]: { data: c, dims: [rows, H] },
        [encName]: { data: enc, dims: [rows, steps, H] },
      });
      const [logits, h2, c2, attention] = this.decoder.outputs.map((o) => out[o.name].data as Float32Array);
      return { logits, h: h2, c: c2, attention };
    };
  }

  /**
   * Decodes one source sequence (e.g. the letters of a word). Throws Seq2SeqInputError for empty
   * input, input longer than the model accepts, or unknown symbols.
   */
  async decode(symbols: readonly string[], options: PredictOptions = {}): Promise<Prediction> {
    const [best] = await this.decodeIds([encodeSource(this.vocab, symbols)], { beam: options.beam, batchSize: 1 });
    return toPrediction(this.vocab, best);
  }

  /** Pronounces each word (lower-cased letters -> phonemes). */
  async predict(words: readonly string[], options: PredictOptions = {}): Promise<Prediction[]> {
    const out: Prediction[] = [];
    for (const w of words) out.push(await this.decode(wordSymbols(w), options));
    return out;
  }
}

/** A decoded id sequence as a {@link Prediction}. */
export function toPrediction(vocab: Seq2SeqVocab, d: Decoded): Prediction {
  return { symbols: decodeTarget(vocab, d.ids), logProb: d.logProb, attention: d.attention, ids: d.ids };
}
