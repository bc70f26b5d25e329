import { resolve } from 'node:path';
import { exportOnnx, inspectOnnx, loadModel, verifyOnnx, writeFileAtomic } from '@neurozoo/core';
import { intOption, type OptionSpecs, parse } from '../args.js';
import { UsageError } from '../errors.js';

export const exportOptions: OptionSpecs = {
  out: { type: 'string', description: 'path of the .onnx file to write (default model.onnx)' },
  opset: { type: 'string', description: 'ONNX opset (default 17)' },
};

/** `neurozoo export <tfjs-model-dir>`: any supported tfjs LayersModel folder to ONNX, verified. */
export async function exportCommand(argv: string[], log: (line: string) => void) {
  const { values, positionals } = parse('export', argv, exportOptions, ['tfjs-model-dir']);
  if (positionals.length === 0) throw new UsageError('export needs a tfjs model folder (with model.json)');
  const model = await loadModel(positionals[0]);
  const opset = intOption('opset', values.opset, 17);
  const bytes = await exportOnnx(model, { opset });
  const parity = await verifyOnnx(model, bytes);
  const out = resolve((values.out as string | undefined) ?? 'model.onnx');
  await writeFileAtomic(out, bytes);
  const info = inspectOnnx(bytes);
  log(`wrote ${out}: opset ${info.opset}, ${bytes.length} bytes, ${info.parameterCount} parameters; parity max abs error ${parity.maxAbsError.toExponential(2)}`);
  return { out, parity, bytes: bytes.length };
}
