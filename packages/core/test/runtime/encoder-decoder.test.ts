import { describe, expect, it } from 'vitest';
import { BackendError } from '../../src/errors.js';
import { decodeSources, OnnxEncoderDecoder, openSessionPair } from '../../src/runtime/encoder-decoder.js';
import { type DecoderStep, greedySearch } from '../../src/runtime/search.js';
import { g2pVocab } from '../../src/runtime/seq2seq-vocab.js';
import type { ZooSession } from '../../src/runtime/types.js';

/**
 * A step that spells each source back (id + 2, so source id 1 -> output 3), then EOS; with a
 * second-best token 0.1 below, so beam search must still pick the copy.
 */
function copyStep(sources: readonly Int32Array[], batches: number[][]): DecoderStep {
  batches.push(sources.map((s) => s.length));
  let source = new Int32Array(0);
  let position: number[] = [];
  return async (tokens, parents) => {
    const first = position.length === 0;
    source = first ? Int32Array.from(parents) : parents.map((p) => source[p]);
    position = Array.from(tokens, (_, r) => (first ? 0 : position[parents[r]] + 1));
    const V = 8;
    const logits = new Float32Array(tokens.length * V);
    for (let r = 0; r < tokens.length; r++) {
      const s = sources[source[r]];
      const want = position[r] < s.length ? s[position[r]] + 2 : 2;
      logits[r * V + want] = 5;
      logits[r * V + (want === 7 ? 6 : 7)] = 4.9;
    }
    return { logits };
  };
}

const sources = [Int32Array.from([1, 2, 3]), Int32Array.from([4]), Int32Array.from([2, 2])];

describe('decodeSources', () => {
  it('decodes greedily in batches of batchSize, results in source order', async () => {
    const batches: number[][] = [];
    const decoded = await decodeSources((s) => copyStep(s, batches), sources, 10, { batchSize: 2 });
    expect(decoded.map((d) => d.ids)).toEqual([[3, 4, 5], [6], [4, 4]]);
    expect(batches).toEqual([[3, 1], [2]]);
    const reference = await greedySearch(copyStep(sources, []), 3, 10);
    expect(decoded).toEqual(reference);
  });

  it('runs beam search one source at a time and keeps the best sequence', async () => {
    const batches: number[][] = [];
    const decoded = await decodeSources((s) => copyStep(s, batches), sources, 10, { beam: 3 });
    expect(decoded.map((d) => d.ids)).toEqual([[3, 4, 5], [6], [4, 4]]);
    expect(batches).toEqual([[3], [1], [2]]);
    const greedy = await decodeSources((s) => copyStep(s, []), sources, 10);
    decoded.forEach((d, i) => expect(d.logProb).toBeCloseTo(greedy[i].logProb, 5));
  });

  it('stops at maxLength', async () => {
    const decoded = await decodeSources((s) => copyStep(s, []), [sources[0]], 2);
    expect(decoded[0].ids).toEqual([3, 4]);
  });
});

describe('openSessionPair', () => {
  const fake = (name: string, log: string[]): ZooSession =>
    ({ provider: 'cpu', release: async () => void log.push(`release ${name}`) }) as unknown as ZooSession;

  it('opens the encoder then the decoder step with the same options', async () => {
    const log: string[] = [];
    const seen: unknown[] = [];
    const [encoder, decoder] = await openSessionPair(
      async (model, options) => {
        seen.push([model, options]);
        return fake(String(model), log);
      },
      'encoder.onnx',
      'decoder-step.onnx',
      { devices: ['cpu'] },
    );
    await encoder.release();
    await decoder.release();
    expect(seen).toEqual([['encoder.onnx', { devices: ['cpu'] }], ['decoder-step.onnx', { devices: ['cpu'] }]]);
    expect(log).toEqual(['release encoder.onnx', 'release decoder-step.onnx']);
  });

  it('releases the encoder when the decoder step fails to open', async () => {
    const log: string[] = [];
    const failure = new BackendError('No device could run decoder-step.onnx');
    const create = async (model: unknown) => {
      if (model === 'decoder-step.onnx') throw failure;
      return fake(String(model), log);
    };
    await expect(openSessionPair(create, 'encoder.onnx', 'decoder-step.onnx')).rejects.toBe(failure);
    expect(log).toEqual(['release encoder.onnx']);
  });
});

describe('OnnxEncoderDecoder', () => {
  /** A subclass whose step adapter is the copy step: what a family adds to the shared base. */
  class CopyModel extends OnnxEncoderDecoder {
    readonly batches: number[][] = [];
    constructor(encoder: ZooSession, decoder: ZooSession) {
      super(encoder, decoder, g2pVocab(['a', 'b'], ['x', 'y'], 8, 2));
    }
    async stepFor(s: readonly Int32Array[]): Promise<DecoderStep> {
      return copyStep(s, this.batches);
    }
  }
  const session = (provider: string, log: string[]): ZooSession =>
    ({ provider, release: async () => void log.push(`release ${provider}`) }) as unknown as ZooSession;

  it("decodes through the subclass's step, at most the vocabulary's maxTargetLength tokens, greedy or beam", async () => {
    const model = new CopyModel(session('wasm', []), session('webgpu', []));
    expect(model.provider).toBe('webgpu');
    expect((await model.decodeIds(sources)).map((d) => d.ids)).toEqual([[3, 4], [6], [4, 4]]);
    expect(await model.decodeIds(sources, { beam: 2 })).toEqual(await decodeSources((s) => copyStep(s, []), sources, 2, { beam: 2 }));
    expect(model.batches).toEqual([[3, 1, 2], [3], [1], [2]]);
  });

  it('releases both sessions', async () => {
    const log: string[] = [];
    await new CopyModel(session('cpu', log), session('cuda', log)).release();
    expect(log.sort()).toEqual(['release cpu', 'release cuda']);
  });
});
