/**
 * Character generation with onnxruntime only, from the `step.onnx` graph of a recurrent
 * character language model: (tokens [batch, steps], one state per recurrent state input) ->
 * (next-character probabilities [batch, steps, vocabulary], the states after the last step).
 * The prompt runs through the graph once; then every new character costs one step (the state
 * carries the whole history, so there is no context limit).
 */
import { type CreateSessionOptions, checkSampling, createSession, DataError, type ModelSource, OnnxModel, pickToken, type SamplingOptions, seededRandom, type ZooSession } from '@neurozoo/core/runtime';

/** What a character LM's `vocab.json` holds. */
export interface CharLmVocab {
  /** Symbol of each id. */
  vocabulary: string[];
  /** Size of each state input of `step.onnx`, in input order after `tokens` (LSTM: h then c per layer). */
  states: number[];
}

/** Bad input for a character LM: characters outside its vocabulary. */
export class CharLmInputError extends DataError {}

/** Options of {@link OnnxCharLanguageModel.generate}. */
export interface CharGenerateOptions extends SamplingOptions {
  /** Characters to generate (default 200). */
  maxTokens?: number;
  /** Seed of the sampling (default 0). */
  seed?: number;
}

/** What {@link OnnxCharLanguageModel.generate} returns. */
export interface CharGenerateResult {
  /** The generated characters (without the prompt). */
  text: string;
  ids: number[];
  tokensPerSecond: number;
}

/** A character LM exported by the `char-lstm` architecture (`step.onnx` + vocab.json), run by onnxruntime. */
export class OnnxCharLanguageModel extends OnnxModel {
  private constructor(
    session: ZooSession,
    readonly vocab: CharLmVocab,
  ) {
    super(session);
  }

  /** Opens `step.onnx` (bytes, a path, or a URL in browsers). */
  static async load(step: ModelSource, vocab: CharLmVocab, options?: CreateSessionOptions): Promise<OnnxCharLanguageModel> {
    const session = await createSession(step, options);
    if (session.inputs.length !== 1 + vocab.states.length) {
      await session.release();
      throw new CharLmInputError(`The step graph has ${session.inputs.length} inputs; vocab.json describes tokens + ${vocab.states.length} states.`);
    }
    return new OnnxCharLanguageModel(session, vocab);
  }

  /** Ids of `text`'s characters; throws CharLmInputError naming characters outside the vocabulary. */
  encode(text: string): number[] {
    const chars = [...text];
    const unknown = [...new Set(chars.filter((c) => !this.vocab.vocabulary.includes(c)))];
    if (unknown.length > 0) {
      throw new CharLmInputError(
        `The prompt has character(s) outside the vocabulary: ${unknown.map((c) => JSON.stringify(c)).join(', ')}. Known: ${JSON.stringify(this.vocab.vocabulary.join(''))}`,
      );
    }
    return chars.map((c) => this.vocab.vocabulary.indexOf(c));
  }

  /** Runs `ids` from `states`: the probabilities after the last id and the new states. */
  async step(ids: readonly number[], states: Float32Array[]): Promise<{ probs: Float32Array; states: Float32Array[] }> {
    const [tokens, ...stateInputs] = this.session.inputs.map((i) => i.name);
    const feeds: Record<string, { data: Float32Array; dims: number[] }> = { [tokens]: { data: Float32Array.from(ids), dims: [1, ids.length] } };
    stateInputs.forEach((name, k) => (feeds[name] = { data: states[k], dims: [1, this.vocab.states[k]] }));
    const out = await this.session.run(feeds);
    const [probsName, ...stateOutputs] = this.session.outputs.map((o) => o.name);
    const all = out[probsName].data as Float32Array;
    const v = this.vocab.vocabulary.length;
    return { probs: all.slice(all.length - v), states: stateOutputs.map((name) => out[name].data as Float32Array) };
  }

  /**
   * Continues `prompt` (an empty prompt starts at a paragraph break when the vocabulary has
   * '\n'): greedy with temperature 0 (default), else sampling with temperature, top-k and top-p
   * from a seeded generator, so a seed always gives the same text.
   */
  async generate(prompt: string, options: CharGenerateOptions = {}): Promise<CharGenerateResult> {
    checkSampling(options);
    const { maxTokens = 200, seed = 0 } = options;
    if (!(Number.isInteger(maxTokens) && maxTokens >= 1)) throw new RangeError(`maxTokens must be an integer >= 1, got ${maxTokens}`);
    let ids = this.encode(prompt);
    if (ids.length === 0) {
      const start = this.vocab.vocabulary.indexOf('\n');
      if (start < 0) throw new CharLmInputError('Empty prompt: give at least one character.');
      ids = [start];
    }
    const random = seededRandom(seed);
    let states: Float32Array[] = this.vocab.states.map((n) => new Float32Array(n));
    const generated: number[] = [];
    const started = performance.now();
    for (let t = 0; t < maxTokens; t++) {
      const out = await this.step(t === 0 ? ids : [generated[t - 1]], states);
      states = out.states;
      generated.push(pickToken(out.probs.map(Math.log), options, random)); // log p: logits of the same softmax
    }
    const seconds = (performance.now() - started) / 1000;
    return { text: generated.map((id) => this.vocab.vocabulary[id]).join(''), ids: generated, tokensPerSecond: maxTokens / seconds };
  }
}
