import { resolve } from 'node:path';
import type { GenerateResult } from '@neurozoo/core';
import { intOption, type OptionSpecs, parse } from '../args.js';
import { UsageError } from '../errors.js';
import { hookOf, trainedArchitecture } from './trained.js';

export const generateOptions: OptionSpecs = {
  prompt: { type: 'string', description: 'text to continue (required)' },
  'max-tokens': { type: 'string', description: 'tokens to generate (default 200)' },
  temperature: { type: 'string', description: '0 = greedy (default); > 0 samples with this softmax temperature' },
  'top-k': { type: 'string', description: 'sample among the k most likely tokens (default: all)' },
  'top-p': { type: 'string', description: 'nucleus sampling: smallest set of tokens with probability >= p (default 1)' },
  seed: { type: 'string', description: 'seed of sampling (default 0)' },
  'no-cache': { type: 'boolean', description: 'rerun the full-sequence graph per token instead of the key/value-cache decode step' },
};

function floatOption(name: string, value: unknown, fallback: number, ok: (v: number) => boolean, rule: string): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (!Number.isFinite(v) || !ok(v)) throw new UsageError(`--${name} must be ${rule}, got '${String(value)}'`);
  return v;
}

/** `neurozoo generate <dir>`: continues a prompt with onnxruntime from a folder `train` wrote, by its architecture's `generate` hook. */
export async function generate(argv: string[], log: (line: string) => void): Promise<GenerateResult> {
  const { values, positionals } = parse('generate', argv, generateOptions, ['dir']);
  if (positionals.length === 0) throw new UsageError('generate needs the folder `neurozoo train` wrote (with report.json)');
  if (typeof values.prompt !== 'string' || values.prompt.length === 0) throw new UsageError('generate needs --prompt TEXT');
  const dir = resolve(positionals[0]);
  const { arch } = trainedArchitecture('generate', dir);
  const run = hookOf(arch, 'generate', 'does not generate sequences', 'Architectures that do');
  const result = await run({
    dir,
    prompt: values.prompt,
    maxTokens: intOption('max-tokens', values['max-tokens'], 200),
    temperature: floatOption('temperature', values.temperature, 0, (v) => v >= 0, 'a number >= 0'),
    topK: intOption('top-k', values['top-k'], 0, 0),
    topP: floatOption('top-p', values['top-p'], 1, (v) => v > 0 && v <= 1, 'in (0, 1]'),
    seed: intOption('seed', values.seed, 0, 0),
    cache: !values['no-cache'],
  });
  log(`${values.prompt}${result.text}`);
  log(`(${result.tokens} tokens, ${result.tokensPerSecond.toFixed(1)} tokens/s on ${result.provider}${values['no-cache'] ? ', no cache' : ''})`);
  return result;
}
