import { readFileSync } from 'node:fs';
import { decodeOnnx, inspectOnnx, OnnxFormatError } from '@neurozoo/core';
import { type OptionSpecs, parse } from '../args.js';
import { UsageError } from '../errors.js';

export const infoOptions: OptionSpecs = { json: { type: 'boolean', description: 'print JSON' } };

/** Reads a file that must be ONNX, with the error naming the file when it is not. */
export function readOnnxFile(path: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new OnnxFormatError(`Cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    decodeOnnx(bytes);
  } catch (err) {
    throw new OnnxFormatError(`${path}: ${(err as Error).message}`);
  }
  return bytes;
}

/** `neurozoo info <model.onnx>`: inputs, outputs, opset, op histogram, parameter count. */
export function info(argv: string[], log: (line: string) => void) {
  const { values, positionals } = parse('info', argv, infoOptions, ['model.onnx']);
  if (positionals.length === 0) throw new UsageError('info needs a model.onnx path');
  const summary = inspectOnnx(readOnnxFile(positionals[0]));
  if (values.json) {
    log(JSON.stringify(summary, null, 2));
    return summary;
  }
  const io = (v: { name: string; dims: Array<number | string>; dtype: string }) => `  ${v.name}: ${v.dtype} [${v.dims.join(', ')}]`;
  log([
    `${positionals[0]}`,
    `producer ${summary.producer}, IR ${summary.irVersion}, opset ${summary.opset}, ${summary.parameterCount} parameters`,
    'inputs:', ...summary.inputs.map(io),
    'outputs:', ...summary.outputs.map(io),
    'ops:', ...Object.entries(summary.opHistogram).sort((a, b) => b[1] - a[1]).map(([op, n]) => `  ${op} x${n}`),
    ...(Object.keys(summary.metadata).length ? ['metadata:', ...Object.entries(summary.metadata).map(([k, v]) => `  ${k}: ${v}`)] : []),
  ].join('\n'));
  return summary;
}
