import { resolve } from 'node:path';
import type { PredictResult } from '@neurozoo/core';
import { intOption, type OptionSpecs, parse } from '../args.js';
import { UsageError } from '../errors.js';
import { hookOf, trainedArchitecture } from './trained.js';

export const predictOptions: OptionSpecs = {
  beam: { type: 'string', description: 'beam width of sequence decoders (default 1: greedy)' },
  json: { type: 'boolean', description: 'print the result as JSON (with log-probabilities and attention weights where the model has them)' },
};

/**
 * `neurozoo predict <dir> INPUT...`: runs the architecture's `predict` hook with onnxruntime on a
 * folder `train` wrote, e.g. words -> phonemes (seq2seq) or a sentence's words -> tags
 * (bilstm-tagger). Prints one line per row: the input, then the output symbols.
 */
export async function predict(argv: string[], log: (line: string) => void): Promise<PredictResult> {
  const { values, positionals } = parse('predict', argv, predictOptions, ['dir', 'input...']);
  if (positionals.length === 0) throw new UsageError('predict needs the folder `neurozoo train` wrote (with report.json), then the inputs');
  const dir = resolve(positionals[0]);
  const { arch } = trainedArchitecture('predict', dir);
  const run = hookOf(arch, 'predict', 'does not predict from text inputs', 'Architectures that do');
  const inputs = positionals.slice(1);
  if (inputs.length === 0) throw new UsageError(`predict needs at least one input after the folder, e.g. neurozoo predict ${positionals[0]} WORD...`);
  const beam = intOption('beam', values.beam, 1);
  const result = await run({ dir, inputs, beam });
  if (values.json) {
    log(JSON.stringify(result));
    return result;
  }
  const width = Math.max(...result.rows.map((r) => r.input.length));
  for (const r of result.rows) log(`${r.input.padEnd(width)}  ${r.output.join(' ')}`);
  log(`(${result.rows.length} row${result.rows.length === 1 ? '' : 's'} on ${result.provider}${beam > 1 ? `, beam ${beam}` : ''})`);
  return result;
}
