/**
 * `@neurozoo/rnn/runtime`: run exported recurrent models with onnxruntime only (no tfjs), in
 * Node (onnxruntime-node) or a browser (onnxruntime-web): seq2seq decoding (greedy, beam),
 * sequence tagging, and character generation from a stateful step graph.
 *
 * @example
 * ```ts
 * import { pipeline } from '@neurozoo/rnn/runtime';
 * const transcribe = await pipeline('transcribe', 'out/seq2seq'); // model.onnx, decoder-step.onnx beside it
 * const [{ phonemes }] = await transcribe('neural', { beam: 4 }); // ['N', 'UH', 'R', 'AH', 'L']
 * const tag = await pipeline('tag', 'out/bilstm-tagger'); // model.onnx + vocab.json
 * const tags = await tag('the jury said'); // [{ word: 'the', tag: 'AT', probability }, ...]
 * const generate = await pipeline('generate', 'out/char-lstm'); // step.onnx + vocab.json
 * const { text } = await generate('The ', { maxTokens: 100, temperature: 0.8, seed: 1 });
 * ```
 * `OnnxSeq2Seq`, `OnnxTagger` and `OnnxCharLanguageModel` are the classes underneath.
 */
import { registerTask } from '@neurozoo/core/runtime';
import type { TaggedWord } from './tagger.js';
import { RNN_TASKS } from './tasks.js';

export { type Pipeline, type PipelineOptions, pipeline } from '@neurozoo/core/runtime';

export { BOS, decodeTarget, EOS, encodeSource, pickToken, type SamplingOptions, Seq2SeqInputError, type Seq2SeqVocab, seededRandom, wordSymbols } from '@neurozoo/core/runtime';
export { sentenceWords, TaggerInputError, type TaggerVocab, UNKNOWN_WORD_CLASSES, unknownWordClass, wordIndex } from '../vocab.js';
export { type CharGenerateOptions, type CharGenerateResult, CharLmInputError, type CharLmVocab, OnnxCharLanguageModel } from './charlm.js';
export { beamDecode, type Decoded, greedyDecode, type StepFn, type StepOutput } from './search.js';
export { OnnxSeq2Seq, type Prediction, type PredictOptions } from './seq2seq.js';
export { OnnxTagger, type TaggedWord } from './tagger.js';

declare module '@neurozoo/core/runtime' {
  interface PipelineTasks {
    /** A sentence (one string, split on white space, or its words) -> each word with its tag. */
    tag: { input: string | readonly string[]; options: Record<string, never>; output: TaggedWord[] };
  }
}

registerTask(...RNN_TASKS);
