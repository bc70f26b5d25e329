/**
 * The deploy kit both runtime entries (Node, web) export: core's error classes, the
 * session-model bases and classifier, the encoder-decoder sessions and vocabulary, and scores.
 * Nothing here imports tfjs or a platform's onnxruntime.
 */
export { BackendError, CheckpointError, DataError, NeurozooError, OnnxFormatError, OptionError, ShapeError, TaskError } from '../errors.js';
/** Row gathering (minibatches, beam states reordered by parent) is tfjs-free, so deploy code shares it. */
export { gatherRows } from '../train/rows.js';
export * from './classifier.js';
export * from './encoder-decoder.js';
export { readMetadataProps } from './metadata.js';
export { ModelFiles } from './model-files.js';
export * from './pipeline.js';
export * from './scoring.js';
export * from './seq2seq-vocab.js';
export * from './tasks.js';
export * from './using.js';
