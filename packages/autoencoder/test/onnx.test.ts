import { decodeOnnx, initBackend, tf } from '@neurozoo/core';
import { expectOnnxParity, randomInputs, randomizeWeights } from '@neurozoo/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AutoencoderModels, convAutoencoder, deepAutoencoder, denoisingAutoencoder, sparseAutoencoder, undercompleteAutoencoder,
} from '../src/index.js';

const measured: string[] = [];
beforeAll(() => initBackend({ backend: 'wasm' }));
afterAll(() => console.log(`ONNX parity (max abs error, checker passed):\n  ${measured.join('\n  ')}`));

const opTypes = (bytes: Uint8Array) => (decodeOnnx(bytes).graph?.node ?? []).map((n) => n.opType as string);

/** Randomised weights; parity (tol 1e-5) and the full ONNX checker for encoder, decoder and full graph at batch 1 and 3. */
async function threeGraphs(label: string, { model, encoder, decoder }: AutoencoderModels) {
  randomizeWeights(model, 3); // shared layers: the encoder and decoder get these weights too
  const ops: Record<string, string[]> = {};
  for (const [name, m] of [['encoder', encoder], ['decoder', decoder], ['autoencoder', model]] as const) {
    let worst = 0;
    for (const batch of [1, 3]) {
      const xs = randomInputs(m, batch, batch);
      const r = await expectOnnxParity(m, xs, { tol: 1e-5, check: batch === 1 });
      worst = Math.max(worst, r.maxAbsError);
      ops[name] = opTypes(r.bytes);
      tf.dispose(xs);
    }
    measured.push(`${label} ${name}: ${worst.toExponential(2)}`);
  }
  return ops;
}

describe('three exported graphs per builder: parity with tfjs and the ONNX checker', () => {
  it('undercomplete 784-64-784 (the seed three-layer net)', async () => {
    const ops = await threeGraphs('undercomplete', undercompleteAutoencoder({ inputSize: 784, code: 64 }));
    expect(ops.encoder).toEqual(['MatMul', 'Add', 'Relu']);
    expect(ops.decoder).toEqual(['MatMul', 'Add', 'Sigmoid']);
  });

  it('deep 784-1000-500-250-30', async () => {
    const ops = await threeGraphs('deep', deepAutoencoder());
    expect(ops.autoencoder.filter((o) => o === 'MatMul')).toHaveLength(8);
  });

  it('denoising: the noise is not in any exported graph', async () => {
    const ops = await threeGraphs('denoising', denoisingAutoencoder({ inputSize: 64, hidden: [32], code: 8, noise: 0.5 }));
    expect(ops.autoencoder).not.toContain('RandomNormalLike');
    expect(ops.autoencoder).toEqual([...ops.encoder, ...ops.decoder]);
  });

  it('sparse (code wider than the input): the L1 penalty is not in any exported graph', async () => {
    const ops = await threeGraphs('sparse', sparseAutoencoder({ inputSize: 16, code: 32, sparsity: 1e-3 }));
    expect(ops.autoencoder).toEqual([...ops.encoder, ...ops.decoder]);
  });

  it('convolutional 28x28x1 -> 7x7x8 (Conv2D/MaxPool/UpSampling2D via core converters)', async () => {
    const ops = await threeGraphs('conv', convAutoencoder());
    expect(ops.encoder).toEqual(expect.arrayContaining(['Conv', 'MaxPool']));
    expect(ops.decoder).toEqual(expect.arrayContaining(['Conv', 'Resize']));
  });
});
