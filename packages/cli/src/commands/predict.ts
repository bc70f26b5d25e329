import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PredictResult } from '@neurozoo/core';
import { intOption, type OptionSpecs, parse } from '../args.js';
import { UsageError } from '../errors.js';
import { architectureNames, architectures } from '../registry.js';

export const predictOptions: OptionSpecs = {
  beam: { type: 'string', description: 'beam width of sequence decoders (default 1: greedy)' },
  json: { type: 'boolean', description: 'print the result as JSON (with log-probabilities and attention weights where the model has them)' },
};

/** Reads `<dir>/report.json` and finds the architecture that wrote the folder, or throws a UsageError saying what is wrong. */
export function trainedArchitecture(command: string, dir: string) {
  let report: { arch: string; dataset: string };
  try {
    report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  } catch (err) {
    throw new UsageError(`${dir} has no readable report.json (${(err as Error).message}); point ${command} at a folder written by \`neurozoo train\``);
  }
  const arch = architectures.find((a) => a.name === report.arch);
  if (!arch) throw new UsageError(`${dir} holds a '${report.arch}' model; this CLI knows: ${architectureNames().join(', ')}`);
  return { arch, report };
}

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
  if (!arch.predict) {
    const predictive = architectures.filter((a) => a.predict).map((a) => a.name);
    throw new UsageError(`'${arch.name}' does not predict from text inputs. Architectures that do: ${predictive.join(', ') || 'none yet'}`);
  }
  const inputs = positionals.slice(1);
  if (inputs.length === 0) throw new UsageError(`predict needs at least one input after the folder, e.g. neurozoo predict ${positionals[0]} WORD...`);
  const beam = intOption('beam', values.beam, 1);
  const result = await arch.predict({ dir, inputs, beam });
  if (values.json) {
    log(JSON.stringify(result));
    return result;
  }
  const width = Math.max(...result.rows.map((r) => r.input.length));
  for (const r of result.rows) log(`${r.input.padEnd(width)}  ${r.output.join(' ')}`);
  log(`(${result.rows.length} row${result.rows.length === 1 ? '' : 's'} on ${result.provider}${beam > 1 ? `, beam ${beam}` : ''})`);
  return result;
}
