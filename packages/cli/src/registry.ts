import { architectures as autoencoder } from '@neurozoo/autoencoder';
import type { ArchitectureSpec } from '@neurozoo/core';
import { architectures as cnn } from '@neurozoo/cnn';
import { architectures as perceptron } from '@neurozoo/perceptron';
import { architectures as rbmDbn } from '@neurozoo/rbm-dbn';
import { architectures as rnn } from '@neurozoo/rnn';
import { architectures as transformer } from '@neurozoo/transformer';

/** Every architecture `neurozoo train` knows, from every installed family. */
export const architectures: ArchitectureSpec[] = [...perceptron, ...cnn, ...rnn, ...autoencoder, ...transformer, ...rbmDbn];

export const architectureNames = () => architectures.map((a) => a.name);
