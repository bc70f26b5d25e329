/**
 * The rnn family's architectures for `neurozoo train`: `lstm` (MNIST rows), `seq2seq`
 * (cmudict), `bilstm-tagger` (brown-pos) and `char-lstm` (brown), one file each.
 */
import type { ArchitectureSpec } from '@neurozoo/core';
import { charLstmArchitecture } from './char-lstm.js';
import { lstmArchitecture } from './lstm.js';
import { seq2seqArchitecture } from './seq2seq.js';
import { taggerArchitecture } from './tagger.js';

export { charLstmArchitecture, generateChars } from './char-lstm.js';
export type { TokenRow, TokenTrainingData } from './data.js';
export { accuracyOf, lstmArchitecture } from './lstm.js';
export { inspectSeq2Seq, predictSeq2Seq, seq2seqArchitecture } from './seq2seq.js';
export { predictTagger, taggerArchitecture } from './tagger.js';

/** Every architecture of this family, for the `neurozoo train` command. */
export const architectures: ArchitectureSpec[] = [lstmArchitecture, seq2seqArchitecture, taggerArchitecture, charLstmArchitecture];
