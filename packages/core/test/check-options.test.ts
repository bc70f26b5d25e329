import { describe, expect, it } from 'vitest';
import { checkOptions, OptionError } from '../src/errors.js';

describe('checkOptions', () => {
  it('accepts known keys, including a subset and none', () => {
    expect(() => checkOptions({ epochs: 1 }, ['epochs', 'seed'], 'fit')).not.toThrow();
    expect(() => checkOptions({}, new Set(['epochs']), 'fit')).not.toThrow();
  });

  it('names every unknown key and the valid ones in a typed error', () => {
    expect(() => checkOptions({ epoch: 3, seed: 1, lr: 2 }, new Set(['epochs', 'seed']), 'RBM fit')).toThrow(
      new OptionError('Unknown RBM fit option(s): epoch, lr. Valid options: epochs, seed'),
    );
    expect(() => checkOptions({ x: 1 }, ['y'], 'mlp')).toThrow(OptionError);
    expect(() => checkOptions({ x: 1 }, ['y'], 'mlp')).toThrow(expect.objectContaining({ code: 'E_OPTION', message: 'Unknown mlp option(s): x. Valid options: y' }));
  });
});
