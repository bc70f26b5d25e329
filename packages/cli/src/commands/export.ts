import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { exportOnnx, inspectOnnx, loadModel, QUANTIZE_MODES, quantizeOnnx, verifyOnnx, writeFileAtomic } from '@neurozoo/core';
import { writeTritonRepository } from '@neurozoo/core/serve';
import { loadDataset } from '@neurozoo/datasets';
import { choice, intOption, type OptionSpecs, parse } from '../args.js';
import { UsageError } from '../errors.js';
import { describeQuantized, measureQuantized, type QuantizedReport } from './quantized.js';

export const exportOptions: OptionSpecs = {
  out: { type: 'string', description: 'path of the .onnx file to write (default model.onnx; with --triton only when given)' },
  opset: { type: 'string', description: 'ONNX opset (default 17)' },
  triton: { type: 'string', description: 'also write a Triton Inference Server model repository into this folder' },
  'max-batch': { type: 'string', description: 'Triton max_batch_size (default 32)' },
  quantize: {
    type: 'string',
    description: 'int8 or fp16: write the quantized model instead (default model.<mode>.onnx beside report.json) and add its size, accuracy and latency to report.json',
  },
};

/** The folder `train` wrote around a tfjs folder (`<dir>` or its parent, whichever holds report.json), if any. */
function trainFolder(dir: string): string | undefined {
  return [resolve(dir), dirname(resolve(dir))].find((d) => existsSync(join(d, 'report.json')));
}

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
  const mode = values.quantize === undefined ? undefined : choice('quantize mode', values.quantize as string, QUANTIZE_MODES);
  // A folder `train` wrote holds the tfjs model in tfjs/.
  const modelDir = existsSync(join(positionals[0], 'tfjs', 'model.json')) ? join(positionals[0], 'tfjs') : positionals[0];
  const trained = trainFolder(modelDir);
  const model = await loadModel(modelDir);
  // The model.onnx `train` wrote carries the architecture's metadata (preprocessing, classes, ...): keep it.
  const trainedOnnx = trained === undefined ? undefined : join(trained, 'model.onnx');
  const metadata = trainedOnnx && existsSync(trainedOnnx) ? inspectOnnx(new Uint8Array(readFileSync(trainedOnnx))).metadata : undefined;
  const fp32 = await exportOnnx(model, { opset, metadata });
  const bytes = mode === undefined ? fp32 : quantizeOnnx(fp32, { mode });
  const parity = await verifyOnnx(model, bytes);
  const info = inspectOnnx(bytes);
  const summary = `opset ${info.opset}, ${bytes.length} bytes, ${info.parameterCount} parameters; parity max abs error ${parity.maxAbsError.toExponential(2)}`;
  let out: string | undefined;
  if (values.out !== undefined || values.triton === undefined) {
    const fallback = mode === undefined ? 'model.onnx' : join(trained ?? '.', `model.${mode}.onnx`);
    out = resolve((values.out as string | undefined) ?? fallback);
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
  let quantized: QuantizedReport | undefined;
  if (mode !== undefined) {
    const report = trained === undefined ? undefined : JSON.parse(readFileSync(join(trained, 'report.json'), 'utf8'));
    const test = typeof report?.dataset === 'string' ? loadDataset(report.dataset).test : undefined;
    quantized = await measureQuantized(model, fp32, bytes, out ?? 'model.onnx', test);
    log(`  ${describeQuantized(mode, quantized)}`);
    if (report && trained) {
      report.quantized = { ...report.quantized, [mode]: quantized };
      await writeFileAtomic(join(trained, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
      log(`  added quantized.${mode} to ${join(trained, 'report.json')}`);
    }
  }
  return { out, triton, parity, bytes: bytes.length, ...(quantized ? { quantized } : {}) };
}
