import { fileURLToPath } from 'node:url';
import { exportOnnx, initBackend } from '@neurozoo/core';
import { installRuntime, randomizeWeights, trainingPackages } from '@neurozoo/core/testing';
import { describe, expect, it } from 'vitest';
import { buildGpt, exportDecodeStep } from '../src/index.js';
import { OnnxLanguageModel } from '../src/runtime/index.js';

const CONTEXT = 8;
const PROMPT = [2, 7, 1];
const SCRIPT = `
import { OnnxLanguageModel } from '@neurozoo/transformer/runtime';
const lm = await OnnxLanguageModel.load({ step: 'step.onnx', full: 'model.onnx' }, { contextLength: ${CONTEXT} });
const cached = await lm.generate(${JSON.stringify(PROMPT)}, { maxTokens: 12 });
const uncached = await lm.generate(${JSON.stringify(PROMPT)}, { maxTokens: 12, cache: false });
console.log(JSON.stringify({ cached: cached.ids, uncached: uncached.ids }));
`;

describe('packed tarballs', () => {
  it('a runtime install of @neurozoo/transformer holds no TensorFlow.js and generates what onnxruntime-node generates', async () => {
    await initBackend({ backend: 'cpu' });
    const model = buildGpt({ vocabSize: 13, contextLength: CONTEXT, dim: 16, heads: 2, layers: 1, ffDim: 32 }, 1);
    randomizeWeights(model, 7);
    const step = exportDecodeStep(model);
    const full = await exportOnnx(model);
    const reference = await OnnxLanguageModel.load({ step, full }, { contextLength: CONTEXT, devices: ['cpu'] });
    const expected = (await reference.generate(PROMPT, { maxTokens: 12 })).ids;
    const project = installRuntime(fileURLToPath(new URL('..', import.meta.url)), { 'step.onnx': step, 'model.onnx': full });
    expect(trainingPackages(project.installed())).toEqual([]);
    const result = JSON.parse(project.run('generate.mjs', SCRIPT).trim());
    expect(expected).toHaveLength(PROMPT.length + 12);
    expect(result.cached).toEqual(expected);
    expect(result.uncached).toEqual(expected);
    await reference.release();
    model.dispose();
  }, 600_000);
});
