/**
 * The rnn family's builders: recurrent stacks (classifier, tagger, character LM), the attention
 * encoder-decoder, and the character LM's one-step model for generation.
 */

export { type CharStepModel, charStepModel } from './char-lm.js';
export * from './recurrent.js';
export { type DecoderWeightName, Seq2Seq, type Seq2SeqConfig, type StepTensors } from './seq2seq.js';
