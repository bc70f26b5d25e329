/**
 * Grapheme-to-phoneme with the encoder-decoder transformer: the model and its vocabulary
 * together, training pairs from word/phoneme pairs (e.g. `loadCmudict()` of
 * @neurozoo/datasets), tfjs decoding (greedy and beam search by recomputing the whole prefix:
 * the reference the onnxruntime KV-cache decoder is tested against), export, save and load.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, saveModel, tf, writeFileAtomic } from '@neurozoo/core';
import {
  type Decoded,
  type DecodeOptions,
  type DecoderStep,
  decodeSources,
  decodeTarget,
  encodeTarget,
  encodeWord,
  padRows,
  sourceSize,
  targetSize,
} from '@neurozoo/core/runtime';
import type { G2PVocab } from '../runtime/g2p.js';
import { buildSeq2SeqTransformer, type Seq2SeqTransformerConfig } from '../builders/seq2seq.js';
import { exportSeq2Seq, type Seq2SeqOnnx } from '../export.js';
import { type Seq2SeqExample, type Seq2SeqTrainOptions, type Seq2SeqTrainResult, trainSeq2Seq } from './seq2seq.js';

/** A word and its phonemes. */
export interface WordPronunciation {
  word: string;
  phonemes: readonly string[];
}

/** A pronunciation: phonemes, their ids and log-probability. */
export interface G2PPrediction {
  word: string;
  phonemes: string[];
  ids: number[];
  logProb: number;
}

/** Options of prediction: beam width (1 = greedy, default) and words per greedy batch (default 256). */
export type G2PPredictOptions = DecodeOptions;

/** Model size of {@link G2PTransformer.create}: everything of the config but the vocabulary-given sizes. */
export type G2PModelConfig = Omit<Seq2SeqTransformerConfig, 'sourceVocabSize' | 'targetVocabSize' | 'maxSourceLength' | 'maxTargetLength'>;

/** Training pairs: letter ids -> phoneme ids; throws G2PInputError for a word or pronunciation the vocabulary cannot hold. */
export function g2pExamples(vocab: G2PVocab, pairs: readonly WordPronunciation[]): Seq2SeqExample[] {
  return pairs.map((p) => ({ source: encodeWord(vocab, p.word), target: encodeTarget(vocab, p.phonemes) }));
}

/**
 * A decoder step in tfjs that reruns the whole model on every row's prefix (no cache): the
 * reference for the onnxruntime decoder. `sources` are the encoded source rows.
 */
function tfjsDecoderStep(model: tf.LayersModel, sources: readonly Int32Array[]): DecoderStep {
  let rowSource: Int32Array = new Int32Array(0);
  let prefixes: number[][] | null = null;
  return async (tokens, parents) => {
    const prev = prefixes;
    rowSource = prev ? parents.map((p) => rowSource[p]) : Int32Array.from(parents);
    prefixes = Array.from(tokens, (t, r) => [...(prev ? prev[parents[r]] : []), t]);
    const src = padRows(Array.from(rowSource, (s) => sources[s]));
    const rows = tokens.length;
    const T = prefixes[0].length;
    const tgt = Float32Array.from(prefixes.flat());
    return tf.tidy(() => {
      const logits = model.predict([tf.tensor2d(src.data, [rows, src.length]), tf.tensor2d(tgt, [rows, T])]) as tf.Tensor;
      return { logits: logits.slice([0, T - 1, 0], [rows, 1, -1]).dataSync() as Float32Array };
    });
  };
}

/** The G2P transformer: a {@link buildSeq2SeqTransformer} model and its {@link G2PVocab}. */
export class G2PTransformer {
  constructor(
    readonly model: tf.LayersModel,
    readonly vocab: G2PVocab,
  ) {}

  /** A new model for `vocab` (decoder positions: BOS + maxTargetLength). */
  static create(vocab: G2PVocab, config: G2PModelConfig = {}, seed = 0): G2PTransformer {
    const model = buildSeq2SeqTransformer({
      ...config,
      sourceVocabSize: sourceSize(vocab),
      targetVocabSize: targetSize(vocab),
      maxSourceLength: vocab.maxSourceLength,
      maxTargetLength: vocab.maxTargetLength + 1,
      name: config.name ?? 'g2p_transformer',
    }, seed);
    return new G2PTransformer(model, vocab);
  }

  /** Trains on word/phoneme pairs with teacher forcing (see {@link trainSeq2Seq}). */
  fit(pairs: readonly WordPronunciation[], options: Seq2SeqTrainOptions): Promise<Seq2SeqTrainResult> {
    return trainSeq2Seq(this.model, g2pExamples(this.vocab, pairs), options);
  }

  /** Decodes encoded sources in tfjs: greedy in batches, or beam search one source at a time. */
  decode(sources: readonly Int32Array[], options: G2PPredictOptions = {}): Promise<Decoded[]> {
    return decodeSources((s) => tfjsDecoderStep(this.model, s), sources, this.vocab.maxTargetLength, options);
  }

  /** Pronounces `words` in tfjs. Throws G2PInputError for empty, too long or unknown input before decoding anything. */
  async predict(words: readonly string[], options: G2PPredictOptions = {}): Promise<G2PPrediction[]> {
    const sources = words.map((w) => encodeWord(this.vocab, w));
    const decoded = await this.decode(sources, options);
    return decoded.map((d, i) => ({ word: words[i], phonemes: decodeTarget(this.vocab, d.ids), ids: d.ids, logProb: d.logProb }));
  }

  /** The encoder and decoder-step ONNX graphs (vocabulary in their metadata). */
  export(metadata: Record<string, string> = {}): Seq2SeqOnnx {
    return exportSeq2Seq(this.model, { metadata: { 'neurozoo.family': 'transformer', 'neurozoo.vocab': JSON.stringify(this.vocab), ...metadata } });
  }

  /** Saves to `dir`: `tfjs/` (model.json + weights.bin) and `vocab.json`. */
  async save(dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    await saveModel(this.model, join(dir, 'tfjs'));
    await writeFileAtomic(join(dir, 'vocab.json'), `${JSON.stringify(this.vocab)}\n`);
  }

  /** Loads what {@link G2PTransformer.save} wrote. */
  static async load(dir: string): Promise<G2PTransformer> {
    const vocab = JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8')) as G2PVocab;
    return new G2PTransformer(await loadModel(join(dir, 'tfjs')), vocab);
  }
}
