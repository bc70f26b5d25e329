/**
 * Grapheme-to-phoneme (or any seq2seq) decoding with onnxruntime only: `encoder.onnx` once per
 * input, then `decoder-step.onnx` once per output step, greedy or beam search (the same search
 * code as the tfjs model, so both give the same tokens).
 */
import { type CreateSessionOptions, createSession, type ZooSession } from '@neurozoo/core/runtime';
import { beamDecode, type Decoded, greedyDecode, type StepFn } from '../seq2seq/search.js';
import { decodeTarget, encodeSource, type Seq2SeqVocab, wordSymbols } from '../seq2seq/vocab.js';

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

type Model = Uint8Array | ArrayBuffer | string | URL;

/** A seq2seq model exported by `exportSeq2Seq` (@neurozoo/rnn), run by onnxruntime. */
export class OnnxSeq2Seq {
  private constructor(
    readonly encoder: ZooSession,
    readonly decoder: ZooSession,
    readonly vocab: Seq2SeqVocab,
  ) {}

  /** Opens both graphs (bytes, paths, or URLs in browsers); `vocab` is the model's vocab.json. */
  static async load(encoder: Model, decoderStep: Model, vocab: Seq2SeqVocab, options?: CreateSessionOptions): Promise<OnnxSeq2Seq> {
    return new OnnxSeq2Seq(await createSession(encoder, options), await createSession(decoderStep, options), vocab);
  }

  /** Decoder state size. */
  get hiddenSize(): number {
    return Number(this.decoder.inputs[1].dims?.[1]);
  }

  private async encode(ids: Int32Array) {
    const out = await this.encoder.run({ data: Float32Array.from(ids), dims: [1, ids.length] });
    const [states, h0, c0] = this.encoder.outputs.map((o) => out[o.name].data as Float32Array);
    return { states, h0, c0 };
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
    const ids = encodeSource(this.vocab, symbols);
    const { states, h0, c0 } = await this.encode(ids);
    const step = this.stepFn(states, ids.length);
    const width = options.beam ?? 1;
    const [best] = width > 1 ? await beamDecode(step, h0, c0, width, this.vocab.maxTargetLength) : await greedyDecode(step, h0, c0, 1, this.vocab.maxTargetLength);
    return toPrediction(this.vocab, best);
  }

  /** Pronounces each word (lower-cased letters -> phonemes). */
  async predict(words: readonly string[], options: PredictOptions = {}): Promise<Prediction[]> {
    const out: Prediction[] = [];
    for (const w of words) out.push(await this.decode(wordSymbols(w), options));
    return out;
  }

  /** Frees both sessions. */
  async release(): Promise<void> {
    await this.encoder.release();
    await this.decoder.release();
  }
}

/** A decoded id sequence as a {@link Prediction}. */
export function toPrediction(vocab: Seq2SeqVocab, d: Decoded): Prediction {
  return { symbols: decodeTarget(vocab, d.ids), logProb: d.logProb, attention: d.attention, ids: d.ids };
}
