/** The rnn family's training loops: the seq2seq (teacher forcing) and the sequence tagger. */
export {
  fitSeq2Seq,
  loadSeq2Seq,
  type Seq2SeqExample,
  type Seq2SeqFitOptions,
  type Seq2SeqFitResult,
  saveSeq2Seq,
} from './seq2seq.js';
export { fitTagger, predictTags, type TaggedIds, type TaggerFitOptions, tagAccuracy } from './tagger.js';
