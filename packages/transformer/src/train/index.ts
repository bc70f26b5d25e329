/** The family's training loops: next-token LMs and classifiers (gpt.ts), encoder-decoders (seq2seq.ts), the G2P task (g2p.ts). */
export * from './g2p.js';
export * from './gpt.js';
export * from './seq2seq.js';
