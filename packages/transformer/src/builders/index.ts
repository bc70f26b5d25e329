/** The family's model builders: config object in, tfjs model out. */
export * from './classifier.js';
export * from './gpt.js';
export * from './seq2seq.js';
