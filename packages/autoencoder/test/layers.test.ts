/** The family's converter record: what the package registers with core, and ActivityL1's converter. */
import { getConverter } from '@neurozoo/core';
import { describe, expect, it } from 'vitest';
import { ActivityL1, AUTOENCODER_CONVERTERS } from '../src/index.js';

describe('AUTOENCODER_CONVERTERS', () => {
  it('holds the ActivityL1 converter, registered with core when the package loads', () => {
    expect(Object.keys(AUTOENCODER_CONVERTERS)).toEqual([ActivityL1.className]);
    expect(getConverter('ActivityL1')).toBe(AUTOENCODER_CONVERTERS.ActivityL1);
  });

  it('writes no node for ActivityL1: its output is its input', () => {
    const convert = AUTOENCODER_CONVERTERS.ActivityL1;
    const ctx = { inputs: ['code'] } as unknown as Parameters<typeof convert>[1];
    expect(convert(new ActivityL1({ l1: 1e-4 }) as unknown as Parameters<typeof convert>[0], ctx)).toBe('code');
  });
});
