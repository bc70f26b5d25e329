/**
 * Quantized exports in the harness: a tfjs model exported with `exportOnnx(model, { quantize })`,
 * whose goldens are onnxruntime-node's (cpu) outputs for the same quantized graph, so the browser
 * must reproduce onnxruntime, not tfjs (int8 differs from tfjs by ~3e-3 by design; the CLI's
 * tests measure that and the accuracy).
 */
import { exportOnnx, type QuantizeMode, tf } from '@neurozoo/core';
import { createSession } from '@neurozoo/core/runtime';
import type { HarnessModel } from '../registry.js';

/** A harness model: `build()`'s model quantized with `mode`, fed `inputs()`, checked against onnxruntime-node. */
export function quantizedHarnessModel(
  spec: Pick<HarnessModel, 'name' | 'notOnWebGpu' | 'tolerance'> & {
    mode: QuantizeMode;
    build: () => Promise<tf.LayersModel>;
    inputs: () => tf.Tensor;
  },
): HarnessModel {
  return {
    name: spec.name,
    notOnWebGpu: spec.notOnWebGpu,
    tolerance: spec.tolerance,
    graph: async () => {
      const model = await spec.build();
      const onnx = await exportOnnx(model, { quantize: spec.mode });
      model.dispose();
      const x = spec.inputs();
      const session = await createSession(onnx, { devices: ['cpu'] });
      const out = await session.run({ data: x.dataSync() as Float32Array, dims: x.shape });
      await session.release();
      const outputs = session.outputs.map((o) => tf.tensor(out[o.name].data as Float32Array, out[o.name].dims));
      return { onnx, inputs: [x], outputs };
    },
  };
}
