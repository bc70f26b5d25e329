import { describe, expect, it } from 'vitest';
import { type Releasable, usingModel } from '../../src/runtime/kit.js';

/** A stand-in session holder that records its releases. */
const holder = (): Releasable & { releases: number } => ({ releases: 0, async release() { this.releases++; } });

describe('usingModel', () => {
  it("returns use's result and releases the model once", async () => {
    const model = holder();
    expect(await usingModel(Promise.resolve(model), async (m) => (m === model ? 'same model' : 'other'))).toBe('same model');
    expect(model.releases).toBe(1);
  });

  it("releases the model when use throws, and passes use's error on", async () => {
    const model = holder();
    await expect(usingModel(Promise.resolve(model), async () => { throw new RangeError('bad input'); })).rejects.toThrow(new RangeError('bad input'));
    expect(model.releases).toBe(1);
  });

  it('runs nothing when opening fails', async () => {
    let ran = false;
    await expect(usingModel(Promise.reject(new Error('no such file')), async () => { ran = true; })).rejects.toThrow('no such file');
    expect(ran).toBe(false);
  });
});
