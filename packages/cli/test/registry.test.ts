/** The architectures `neurozoo train` knows: every family's named architecture exports, in the order `neurozoo --help` lists them. */
import { autoencoderArchitecture, convAutoencoderArchitecture, deepAutoencoderArchitecture, denoisingAutoencoderArchitecture } from '@neurozoo/autoencoder';
import { cnnArchitecture, lenet5Architecture } from '@neurozoo/cnn';
import { mlpArchitecture, perceptronArchitecture } from '@neurozoo/perceptron';
import { dbnArchitecture, rbmArchitecture } from '@neurozoo/rbm-dbn';
import { charLstmArchitecture, lstmArchitecture, seq2seqArchitecture, taggerArchitecture } from '@neurozoo/rnn';
import { g2pArchitecture, gptArchitecture } from '@neurozoo/transformer';
import { expect, it } from 'vitest';
import { architectureNames, architectures } from '../src/registry.js';

const expected = [
  perceptronArchitecture, mlpArchitecture,
  cnnArchitecture, lenet5Architecture,
  lstmArchitecture, seq2seqArchitecture, taggerArchitecture, charLstmArchitecture,
  autoencoderArchitecture, deepAutoencoderArchitecture, convAutoencoderArchitecture, denoisingAutoencoderArchitecture,
  gptArchitecture, g2pArchitecture,
  rbmArchitecture, dbnArchitecture,
];

it('registers each family architecture export once (the same object), under its CLI name', () => {
  expect(architectures).toHaveLength(expected.length);
  for (const [i, arch] of expected.entries()) expect(architectures[i]).toBe(arch);
  expect(architectureNames()).toEqual([
    'perceptron', 'mlp', 'cnn', 'lenet5', 'lstm', 'seq2seq', 'bilstm-tagger', 'char-lstm',
    'autoencoder', 'deep-autoencoder', 'conv-autoencoder', 'denoising-autoencoder', 'gpt', 'transformer', 'rbm', 'dbn',
  ]);
});
