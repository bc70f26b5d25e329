import * as ortWeb from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { checkSampling, pickToken, seededRandom } from '../../src/runtime/sampling.js';
import { loadOrtWeb } from '../../src/runtime/web.js';

describe('checkSampling', () => {
  it('accepts greedy, top-k and nucleus settings', () => {
    expect(() => checkSampling({})).not.toThrow();
    expect(() => checkSampling({ temperature: 0, topK: 0, topP: 1 })).not.toThrow();
    expect(() => checkSampling({ temperature: 0.7, topK: 5, topP: 0.9 })).not.toThrow();
  });

  it('names the bad option and the value it got', () => {
    expect(() => checkSampling({ temperature: -1 })).toThrow(new RangeError('temperature must be >= 0, got -1'));
    expect(() => checkSampling({ temperature: Number.NaN })).toThrow(new RangeError('temperature must be >= 0, got NaN'));
    expect(() => checkSampling({ topK: 2.5 })).toThrow(new RangeError('topK must be an integer >= 0, got 2.5'));
    expect(() => checkSampling({ topK: -1 })).toThrow(new RangeError('topK must be an integer >= 0, got -1'));
    expect(() => checkSampling({ topP: 0 })).toThrow(new RangeError('topP must be in (0, 1], got 0'));
    expect(() => checkSampling({ topP: 1.5 })).toThrow(new RangeError('topP must be in (0, 1], got 1.5'));
  });
});

describe('pickToken', () => {
  const logits = [0.1, 3, 2.9, -1];
  it('is argmax at temperature 0 and keeps only the top k when sampling', () => {
    expect(pickToken(logits, {}, () => 0.99)).toBe(1);
    const random = seededRandom(3);
    const picks = new Set(Array.from({ length: 200 }, () => pickToken(logits, { temperature: 1, topK: 2 }, random)));
    expect([...picks].sort()).toEqual([1, 2]);
  });
});

describe('loadOrtWeb', () => {
  it("returns onnxruntime-web's default build, and the native-WebGPU build on request", async () => {
    expect(await loadOrtWeb()).toBe(ortWeb);
    expect(await loadOrtWeb('default')).toBe(ortWeb);
    const webgpu = await loadOrtWeb('webgpu');
    expect(webgpu).not.toBe(ortWeb);
    expect(typeof webgpu.InferenceSession.create).toBe('function');
  });
});
