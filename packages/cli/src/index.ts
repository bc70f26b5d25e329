/**
 * @neurozoo/cli: the `neurozoo` command. `main(argv)` is the whole CLI as a function, so
 * tests run it in-process; `bin.ts` only maps its result to an exit code.
 * @packageDocumentation
 */
import { NeurozooError } from '@neurozoo/core';
import { usageOf } from './args.js';
import { datasets } from './commands/datasets.js';
import { exportCommand, exportOptions } from './commands/export.js';
import { generate, generateOptions } from './commands/generate.js';
import { info, infoOptions } from './commands/info.js';
import { inspect } from './commands/inspect.js';
import { predict, predictOptions } from './commands/predict.js';
import { run, runOptions } from './commands/run.js';
import { serve, serveOptions } from './commands/serve.js';
import { train, trainOptions } from './commands/train.js';
import { UsageError } from './errors.js';
import { architectureNames } from './registry.js';

export { UsageError } from './errors.js';
export type { TrainReport } from './commands/train.js';
export type { QuantizedReport } from './commands/quantized.js';
export type { PredictResult, PredictRow } from '@neurozoo/core';

const COMMANDS: Record<string, { usage: string; summary: string; run: (argv: string[], log: (l: string) => void) => unknown }> = {
  train: { usage: usageOf(trainOptions, ['arch']), summary: 'train, export to ONNX, verify in onnxruntime, write a report', run: train },
  export: { usage: usageOf(exportOptions, ['tfjs-model-dir']), summary: 'convert a tfjs layers model folder to ONNX', run: exportCommand },
  run: { usage: usageOf(runOptions, ['model.onnx']), summary: 'run an ONNX model: outputs, provider, latency', run },
  serve: { usage: usageOf(serveOptions, ['model.onnx']), summary: 'HTTP inference server: POST /infer (dynamic batching), /health, /metadata', run: serve },
  info: { usage: usageOf(infoOptions, ['model.onnx']), summary: 'inputs, outputs, opset, ops, parameters of an ONNX model', run: info },
  generate: { usage: usageOf(generateOptions, ['dir']), summary: 'continue a prompt with onnxruntime from a trained sequence model (gpt, char-lstm)', run: generate },
  predict: {
    usage: usageOf(predictOptions, ['dir', 'input...']),
    summary: 'map inputs to output symbols with onnxruntime from a trained folder: words -> phonemes (seq2seq), a sentence\'s words -> tags (bilstm-tagger)',
    run: predict,
  },
  inspect: { usage: '<dir>', summary: 'write pictures of a trained model (kernels, feature maps, ...) to <dir>/inspect', run: inspect },
  datasets: { usage: '', summary: 'list the data sets and where they come from', run: datasets },
};

export function helpText(): string {
  return [
    'neurozoo: train neural networks in Node, export them to ONNX, run them with onnxruntime',
    '',
    'Usage:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  neurozoo ${name} ${c.usage}\n      ${c.summary}`),
    '',
    `Architectures: ${architectureNames().join(', ')}`,
  ].join('\n');
}

/**
 * Runs the CLI on `argv` (without node and script). Returns the exit code: 0 on success,
 * 2 for a usage error (unknown command, arch, dataset or option), 1 for any other error.
 */
export async function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    out(helpText());
    return name === undefined ? 2 : 0;
  }
  try {
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`Unknown command '${name}'. Valid commands: ${Object.keys(COMMANDS).join(', ')}`);
    await command.run(rest, out);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`neurozoo: ${e.message}`);
      return 2;
    }
    err(`neurozoo: ${e instanceof NeurozooError ? e.message : (e as Error).stack ?? String(e)}`);
    return 1;
  }
}
