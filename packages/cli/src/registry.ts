import type { ArchitectureSpec } from '@neurozoo/core';
import { architectures as perceptron } from '@neurozoo/perceptron';

/** Every architecture `neurozoo train` knows, from every installed family. */
export const architectures: ArchitectureSpec[] = [...perceptron];

export const architectureNames = () => architectures.map((a) => a.name);
