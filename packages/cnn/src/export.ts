/**
 * exportCnnOnnx(): core's exportOnnx plus what an image model needs: the preprocessing it was
 * trained with in the ONNX metadata_props (so `@neurozoo/cnn/runtime` can turn pixels into
 * inputs), and optionally an NCHW graph input for users who feed channel-first tensors.
 */
import { decodeOnnx, type ExportOnnxOptions, exportOnnx, OptionError, ShapeError, type tf } from '@neurozoo/core';
import onnxProto from 'onnx-proto';
import type { PreprocessingInfo } from './runtime/pixels.js';

/**
 * How pixels become model inputs; stored as JSON under {@link PREPROCESSING_KEY} and read back
 * by the runtime (one type for both sides). `height` x `width` x `channels` (1 grayscale, 3 RGB);
 * input = (pixel / 255 - mean[c]) / std[c] (MNIST as loaded by @neurozoo/datasets: mean 0,
 * std 1); `layout` of the graph input: 'NHWC' [n, h, w, c], 'NCHW' [n, c, h, w] or 'flat'
 * [n, h*w*c] (row-major NHWC); `lightOnDark` when the model was trained on white-on-black
 * images (MNIST), so dark-on-light input is inverted first.
 */
export type Preprocessing = PreprocessingInfo;

/** metadata_props key of the preprocessing JSON. */
export const PREPROCESSING_KEY = 'neurozoo.preprocessing';

/** Options of {@link exportCnnOnnx}. */
export interface ExportCnnOptions extends ExportOnnxOptions {
  /** Layout of the graph input (default 'NHWC', tfjs's; 'NCHW' skips the boundary Transpose). */
  inputLayout?: 'NHWC' | 'NCHW';
  /** Preprocessing to record; height/width/channels default to the model's input shape. */
  preprocessing?: Partial<Omit<Preprocessing, 'layout'>>;
}

/** The preprocessing record for `model` (input [n, h, w, c] or flat [n, h*w*c] with explicit h/w/c). */
export function preprocessingFor(model: tf.LayersModel, options: ExportCnnOptions = {}): Preprocessing {
  const shape = model.inputs[0].shape;
  const p = options.preprocessing ?? {};
  const flat = shape.length === 2;
  if (!flat && shape.length !== 4) throw new ShapeError(`An image model has input [batch, h, w, c] or [batch, h*w*c], got ${JSON.stringify(shape)}.`);
  const [height, width, channels] = flat ? [p.height, p.width, p.channels ?? 1] : [shape[1], shape[2], shape[3]];
  if (!height || !width || !channels) throw new OptionError('preprocessing needs height, width and channels for a model with a flat input.');
  if (flat && height * width * channels !== shape[1]) {
    throw new ShapeError(`preprocessing ${height}x${width}x${channels} does not match the model's flat input of ${shape[1]} values.`);
  }
  return {
    height,
    width,
    channels,
    mean: p.mean ?? new Array(channels).fill(0),
    std: p.std ?? new Array(channels).fill(1),
    layout: flat ? 'flat' : (options.inputLayout ?? 'NHWC'),
    ...(p.lightOnDark !== undefined ? { lightOnDark: p.lightOnDark } : {}),
  };
}

/**
 * Exports a CNN (any tfjs LayersModel with conv/pool layers) to ONNX bytes, with the
 * preprocessing in metadata_props. NHWC input by default; `inputLayout: 'NCHW'` declares the
 * input [batch, C, H, W] and drops the Transpose the first convolution would need.
 */
export async function exportCnnOnnx(model: tf.LayersModel, options: ExportCnnOptions = {}): Promise<Uint8Array> {
  const { inputLayout = 'NHWC', preprocessing: _p, ...rest } = options;
  if (inputLayout !== 'NHWC' && inputLayout !== 'NCHW') throw new OptionError(`inputLayout must be 'NHWC' or 'NCHW', got ${JSON.stringify(inputLayout)}.`);
  const pre = preprocessingFor(model, options);
  const metadata = { 'neurozoo.family': 'cnn', ...rest.metadata, [PREPROCESSING_KEY]: JSON.stringify(pre) };
  const bytes = await exportOnnx(model, { ...rest, metadata });
  return inputLayout === 'NCHW' ? toNchwInput(bytes, model) : bytes;
}

/** Rewrites the graph input to NCHW: Transposes to NCHW that read it now read it directly. */
function toNchwInput(bytes: Uint8Array, model: tf.LayersModel): Uint8Array {
  if (model.inputs.length !== 1 || model.inputs[0].shape.length !== 4) {
    throw new OptionError(`inputLayout 'NCHW' needs one rank-4 input, got ${JSON.stringify(model.inputs.map((t) => t.shape))}.`);
  }
  const m = decodeOnnx(bytes);
  const graph = m.graph as onnxProto.onnx.GraphProto;
  const input = graph.input[0];
  const name = input.name as string;
  const dims = input.type?.tensorType?.shape?.dim ?? [];
  input.type!.tensorType!.shape!.dim = [dims[0], dims[3], dims[1], dims[2]];
  const isToNchw = (n: onnxProto.onnx.INodeProto) =>
    n.opType === 'Transpose' && n.input?.[0] === name && JSON.stringify(n.attribute?.[0]?.ints?.map(Number)) === '[0,3,1,2]';
  const bypassed = new Set(graph.node.filter(isToNchw).map((n) => n.output![0]));
  const nhwc = `${name}_nhwc`;
  const others = graph.node.some((n) => !isToNchw(n) && n.input?.includes(name));
  for (const n of graph.node) {
    if (!isToNchw(n)) n.input = (n.input ?? []).map((v) => (bypassed.has(v) ? name : v === name ? nhwc : v));
  }
  graph.node = graph.node.filter((n) => !isToNchw(n));
  // Layers that read the image itself (not through a convolution) still get NHWC.
  if (others) {
    const perm = onnxProto.onnx.AttributeProto.create({ name: 'perm', type: onnxProto.onnx.AttributeProto.AttributeType.INTS, ints: [0, 2, 3, 1] });
    graph.node.unshift(onnxProto.onnx.NodeProto.create({ name: `${name}/to_nhwc`, opType: 'Transpose', input: [name], output: [nhwc], attribute: [perm] }));
  }
  for (const p of m.metadataProps) {
    if (p.key === PREPROCESSING_KEY) p.value = JSON.stringify({ ...JSON.parse(p.value as string), layout: 'NCHW' });
  }
  return onnxProto.onnx.ModelProto.encode(m).finish();
}
