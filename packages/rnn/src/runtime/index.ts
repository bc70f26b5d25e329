/**
 * `@neurozoo/rnn/runtime`: run exported recurrent models with onnxruntime only (no tfjs), in
 * Node (onnxruntime-node) or a browser (onnxruntime-web): seq2seq decoding (greedy, beam),
 * sequence tagging, and character generation from a stateful step graph.
 *
 * @example
 * ```ts
 * import { OnnxSeq2Seq } from '@neurozoo/rnn/runtime';
 * const g2p = await OnnxSeq2Seq.load('out/g2p/encoder.onnx', 'out/g2p/decoder-step.onnx', vocab);
 * const [{ symbols }] = await g2p.predict(['neural'], { beam: 4 }); // ['N', 'UH', 'R', 'AH', 'L']
 * ```
 */

export { BOS, decodeTarget, EOS, encodeSource, pickToken, type SamplingOptions, Seq2SeqInputError, type Seq2SeqVocab, seededRandom, wordSymbols } from '@neurozoo/core/runtime';
export { sentenceWords, TaggerInputError, type TaggerVocab, UNKNOWN_WORD_CLASSES, unknownWordClass, wordIndex } from '../vocab.js';
export { type CharGenerateOptions, type CharGenerateResult, CharLmInputError, type CharLmVocab, OnnxCharLanguageModel } from './charlm.js';
export { beamDecode, type Decoded, greedyDecode, type StepFn, type StepOutput } from './search.js';
export { OnnxSeq2Seq, type Prediction, type PredictOptions } from './seq2seq.js';
export { OnnxTagger, type TaggedWord } from './tagger.js';
