/**
 * @neurozoo/rnn: recurrent networks (SimpleRNN, LSTM, GRU, bidirectional stacks) and an
 * attention encoder-decoder, trained with tfjs and exported to native ONNX LSTM/GRU/RNN ops
 * (core's stock recurrent converters). Importing this package routes tfjs-layers' LSTM layer
 * through a fused training path (see `setFusedLstm`).
 * @packageDocumentation
 */
import { installFusedLstm } from './layers/fused-lstm.js';

// Module code, not a side-effect import ("sideEffects" in package.json lists this file).
installFusedLstm();

/** Same-length batches in a seeded order; now core's (re-exported for existing imports). */
export { lengthBatches } from '@neurozoo/core';
/** The encoder-decoder vocabulary is core's, shared with the transformer family. */
export {
  BOS,
  decodeTarget,
  EOS,
  encodeSource,
  encodeTarget,
  g2pVocab,
  Seq2SeqInputError,
  type Seq2SeqVocab,
  sourceSize,
  targetSize,
  wordSymbols,
} from '@neurozoo/core/runtime';
export * from './architectures/index.js';
export { type BenchLstmOptions, type BenchLstmResult, benchLstm } from './bench.js';
export * from './builders/index.js';
export { exportSeq2Seq, type Seq2SeqOnnx } from './export.js';
export { type G2PPrediction, g2pExamples, predictWords, type WordPronunciation } from './g2p.js';
export { attentionHeatmap } from './inspect.js';
export { fusedLstmEnabled, lstmSequence, setFusedLstm } from './layers/fused-lstm.js';
export { beamDecode, type Decoded, greedyDecode, type StepFn, type StepOutput } from './runtime/search.js';
export * from './train/index.js';
export { buildTaggerVocab, sentenceWords, TaggerInputError, type TaggerVocab, UNKNOWN_WORD_CLASSES, unknownWordClass, wordIndex } from './vocab.js';
