/**
 * pipeline('encode' | 'decode' | 'score') over an autoencoder trained here and written as
 * `neurozoo train` writes it (model.onnx = the full graph, encoder.onnx and decoder.onnx beside it).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, Rng, TaskError } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Autoencoder, undercompleteAutoencoder } from '../src/index.js';
import { pipeline, rocAuc } from '../src/runtime/index.js';

beforeAll(() => initBackend({ backend: 'wasm' }));

/** `n` rows of 16 values in [0, 1] on a 2-D pattern (normal), or uniform noise (anomalies). */
function rows(n: number, seed: number, anomalous = false): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 16);
  for (let i = 0; i < n; i++) {
    const [a, b] = [rng.next(), rng.next()];
    for (let j = 0; j < 16; j++) x[i * 16 + j] = anomalous ? rng.next() : 0.5 + 0.4 * (a * Math.sin(j / 2) + b * Math.cos(j / 3)) / 2;
  }
  return x;
}

const close = (a: Float32Array, b: Float32Array, tol = 1e-5) => {
  expect(a.length).toBeGreaterThan(0);
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(tol));
};

describe("pipeline over @neurozoo/autoencoder's graphs", () => {
  let ae: Autoencoder;
  let dir: string;
  beforeAll(async () => {
    ae = new Autoencoder(undercompleteAutoencoder({ inputSize: 16, code: 2, seed: 1 }));
    await ae.fit(rows(512, 1), { epochs: 30, batchSize: 32, verbose: false });
    const graphs = await ae.exportOnnx({ metadata: { 'neurozoo.arch': 'undercomplete' } });
    dir = mkdtempSync(join(tmpdir(), 'nz-ae-pipeline-'));
    writeFileSync(join(dir, 'model.onnx'), graphs.autoencoder);
    writeFileSync(join(dir, 'encoder.onnx'), graphs.encoder);
    writeFileSync(join(dir, 'decoder.onnx'), graphs.decoder);
  }, 300_000);

  it('encode and decode equal tfjs; score flags noise among held-out normal rows', async () => {
    const normal = rows(64, 2);
    const noise = rows(64, 3, true);
    const encode = await pipeline('encode', dir, { device: ['cuda', 'cpu'] });
    expect([encode.family, encode.handler, encode.device]).toEqual(['autoencoder', 'OnnxAutoencoder', 'cpu']);
    expect(encode.fallbacks.map((f) => f.device)).toEqual(['cuda']);
    const codes = await encode(normal);
    expect(codes.dims).toEqual([64, 2]);
    close(codes.data, ae.encode(normal));
    const decode = await pipeline('decode', join(dir, 'decoder.onnx'), { device: 'cpu' });
    const decoded = await decode(codes.data);
    expect(decoded.dims).toEqual([64, 16]);
    close(decoded.data, ae.decode(codes.data));

    const score = await pipeline('score', dir, { device: 'cpu' });
    const { scores, anomalies } = await score(normal);
    close(scores, ae.reconstructionErrors(normal), 1e-4);
    expect(anomalies).toBeUndefined();
    const noiseScores = (await score(noise)).scores;
    // measured AUC 1.0 after 30 epochs (noise is far off the learned 2-D pattern), and 64 of 64 noise rows above the largest normal score
    expect(rocAuc(Array.from(scores), Array.from(noiseScores))).toBeGreaterThan(0.95);
    const threshold = Math.max(...scores);
    const flagged = await score(noise, { threshold });
    expect(Array.from(flagged.anomalies ?? [])).toEqual(Array.from(noiseScores, (s) => (s > threshold ? 1 : 0)));
    expect(flagged.anomalies?.reduce((a, v) => a + v, 0)).toBeGreaterThan(48);
    await Promise.all([encode.dispose(), decode.dispose(), score.dispose()]);
  });

  it("'classify' is no task of this runtime: the TaskError lists the tasks it registers", async () => {
    await expect(pipeline('classify', join(dir, 'decoder.onnx'))).rejects.toThrow(
      new TaskError(
        'classify',
        "Unknown task 'classify': the imported runtimes register 'decode', 'encode', 'score'. Import the runtime of the model's family (e.g. '@neurozoo/rnn/runtime') to register its tasks.",
      ),
    );
  });
});
