import { basename, dirname, resolve } from 'node:path';
import { exportOnnx, inspectOnnx, loadModel, verifyOnnx, writeFileAtomic } from '@neurozoo/core';
import { writeTritonRepository } from '@neurozoo/core/serve';
import { intOption, type OptionSpecs, parse } from '../args.js';
import { UsageError } from '../errors.js';

export const exportOptions: OptionSpecs = {
  out: { type: 'string', description: 'path of the .onnx file to write (default model.onnx; with --triton only when given)' },
  opset: { type: 'string', description: 'ONNX opset (default 17)' },
  triton: { type: 'string', description: 'also write a Triton Inference Server model repository into this folder' },
  'max-batch': { type: 'string', description: 'Triton max_batch_size (default 32)' },
};

/** The Triton model name for a tfjs folder: its name, or its parent's when it is called `tfjs` (out/mlp-mnist/tfjs -> mlp-mnist). */
function tritonName(dir: string): string {
  const abs = resolve(dir);
  const name = basename(abs) === 'tfjs' ? basename(dirname(abs)) : basename(abs);
  return name.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9]+/, '') || 'model';
}

/** `neurozoo export <tfjs-model-dir>`: any supported tfjs LayersModel folder to ONNX, verified; optionally a Triton repository. */
export async function exportCommand(argv: string[], log: (line: string) => void) {
  const { values, positionals } = parse('export', argv, exportOptions, ['tfjs-model-dir']);
  if (positionals.length === 0) throw new UsageError('export needs a tfjs model folder (with model.json)');
  if (values['max-batch'] !== undefined && values.triton === undefined) throw new UsageError('--max-batch needs --triton DIR');
  if (values.triton === '') throw new UsageError('--triton expects a folder');
  const maxBatch = intOption('max-batch', values['max-batch'], 32);
  const opset = intOption('opset', values.opset, 17);
  const model = await loadModel(positionals[0]);
  const bytes = await exportOnnx(model, { opset });
  const parity = await verifyOnnx(model, bytes);
  const info = inspectOnnx(bytes);
  const summary = `opset ${info.opset}, ${bytes.length} bytes, ${info.parameterCount} parameters; parity max abs error ${parity.maxAbsError.toExponential(2)}`;
  let out: string | undefined;
  if (values.out !== undefined || values.triton === undefined) {
    out = resolve((values.out as string | undefined) ?? 'model.onnx');
    await writeFileAtomic(out, bytes);
    log(`wrote ${out}: ${summary}`);
  }
  let triton: Awaited<ReturnType<typeof writeTritonRepository>> | undefined;
  if (values.triton !== undefined) {
    triton = await writeTritonRepository(resolve(values.triton as string), bytes, { name: tritonName(positionals[0]), maxBatch });
    log(`wrote Triton model repository ${triton.modelDir}: ${summary}`);
    log(
      `  ${triton.batched ? `max_batch_size ${maxBatch}, dynamic batching` : 'max_batch_size 0 (no symbolic batch dimension)'}; ` +
        `config.pbtxt on KIND_GPU, configs/cpu.pbtxt on KIND_CPU (tritonserver --model-repository=${resolve(values.triton as string)} [--model-config-name=cpu])`,
    );
  }
  return { out, triton, parity, bytes: bytes.length };
}
