/**
 * @neurozoo/rnn: recurrent networks (SimpleRNN, LSTM, GRU, bidirectional stacks) and an
 * attention encoder-decoder, trained with tfjs and exported to native ONNX LSTM/GRU/RNN ops.
 * Importing this package registers the recurrent ONNX converters with @neurozoo/core and
 * routes tfjs-layers' LSTM layer through a fused training path (see `setFusedLstm`).
 * @packageDocumentation
 */
import { registerConverters } from '@neurozoo/core';
import { installFusedLstm } from './fused/lstm.js';
import { RNN_CONVERTERS } from './onnx/recurrent.js';

// Module code, not a side-effect import ("sideEffects" in package.json lists this file).
registerConverters(RNN_CONVERTERS);
installFusedLstm();

export { convertBidirectional, convertRnn, convertTimeDistributed, RNN_CONVERTERS } from './onnx/recurrent.js';
export { activationId, type RecurrentOp } from './onnx/weights.js';
export * from './builders.js';
export { fusedLstmEnabled, installFusedLstm, lstmSequence, setFusedLstm } from './fused/lstm.js';
export { accuracyOf, architectures, lstmArchitecture, stepsOf } from './architectures.js';
export { type BenchLstmOptions, type BenchLstmResult, benchLstm } from './bench.js';
export { DECODER_WEIGHTS, type DecoderWeightName, Seq2Seq, type Seq2SeqConfig, type StepTensors } from './seq2seq/model.js';
export { DECODER_STEP_IO, exportSeq2Seq, type Seq2SeqOnnx } from './seq2seq/export.js';
export { fitSeq2Seq, loadSeq2Seq, saveSeq2Seq, type Seq2SeqExample, type Seq2SeqFitOptions, type Seq2SeqFitResult } from './seq2seq/train.js';
export { beamDecode, type Decoded, greedyDecode, type StepFn, type StepOutput } from './seq2seq/search.js';
/** The encoder-decoder vocabulary is core's, shared with the transformer family. */
export {
  BOS,
  decodeTarget,
  encodeSource,
  encodeTarget,
  EOS,
  g2pVocab,
  Seq2SeqInputError,
  type Seq2SeqVocab,
  sourceSize,
  targetSize,
  wordSymbols,
} from '@neurozoo/core/runtime';
export { type G2PPrediction, g2pExamples, predictWords, type WordPronunciation } from './seq2seq/g2p.js';
export { attentionHeatmap } from './seq2seq/heatmap.js';
export { decoderWeightFiles } from './seq2seq/train.js';
export { type CharStepModel, charStepModel } from './charlm.js';
export { fitTagger, predictTags, type TaggedIds, type TaggerFitOptions, tagAccuracy } from './tagger/train.js';
/** Same-length batches in a seeded order; now core's (re-exported for existing imports). */
export { lengthBatches } from '@neurozoo/core';
export { buildTaggerVocab, sentenceWords, TaggerInputError, type TaggerVocab, UNKNOWN_WORD_CLASSES, unknownWordClass, wordIndex } from './tagger/vocab.js';
export { type TokenRow, type TokenTrainingData, tokenRows } from './arch/data.js';
export { inspectSeq2Seq, inspectWords, predictSeq2Seq, SEQ2SEQ_CONFIG, SEQ2SEQ_ORT_TEST_WORDS, seq2seqArchitecture } from './arch/seq2seq.js';
export { predictTagger, TAGGER_CONFIG, taggerArchitecture } from './arch/tagger.js';
export { CHAR_LSTM_CONFIG, CHAR_LSTM_MAX_TEST_WINDOWS, CHAR_LSTM_MAX_TRAIN_WINDOWS, charLstmArchitecture, generateChars } from './arch/char-lstm.js';
