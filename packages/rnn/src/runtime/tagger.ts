/**
 * Sequence tagging with onnxruntime only: the `model.onnx` of a tagger (token ids [batch, steps]
 * -> tag probabilities [batch, steps, tags]) and its vocabulary.
 */
import { type CreateSessionOptions, createSession, type ModelSource, OnnxModel, type ZooSession } from '@neurozoo/core/runtime';
import { sentenceWords, type TaggerVocab, wordIndex } from '../vocab.js';

/** One tagged word. */
export interface TaggedWord {
  word: string;
  tag: string;
  /** Probability of `tag`. */
  probability: number;
}

/** A tagger exported by the `bilstm-tagger` architecture (or any `sequenceTagger`), run by onnxruntime. */
export class OnnxTagger extends OnnxModel {
  private readonly lookup: (word: string) => number;

  private constructor(
    session: ZooSession,
    readonly vocab: TaggerVocab,
  ) {
    super(session);
    this.lookup = wordIndex(vocab);
  }

  /** Opens the model (bytes, a path, or a URL in browsers); `vocab` is the folder's vocab.json. */
  static async load(model: ModelSource, vocab: TaggerVocab, options?: CreateSessionOptions): Promise<OnnxTagger> {
    return new OnnxTagger(await createSession(model, options), vocab);
  }

  /** Token ids of `words` (unknown words map to their unknown-word class). */
  encode(words: readonly string[]): Float32Array {
    return Float32Array.from(words, (w) => this.lookup(w));
  }

  /** Probabilities [rows, steps, tags] of same-length id rows. */
  async probabilities(ids: Float32Array, rows: number): Promise<Float32Array> {
    const out = await this.session.run({ [this.session.inputs[0].name]: { data: ids, dims: [rows, ids.length / rows] } });
    return out[this.session.outputs[0].name].data as Float32Array;
  }

  /**
   * Tags one sentence. `words` are split on white space, so a whole sentence in one string
   * works too; throws TaggerInputError when no word is left.
   */
  async tag(words: readonly string[]): Promise<TaggedWord[]> {
    const tokens = sentenceWords(words);
    const probs = await this.probabilities(this.encode(tokens), 1);
    const k = this.vocab.tags.length;
    return tokens.map((word, t) => {
      let best = 0;
      for (let j = 1; j < k; j++) if (probs[t * k + j] > probs[t * k + best]) best = j;
      return { word, tag: this.vocab.tags[best], probability: probs[t * k + best] };
    });
  }
}
