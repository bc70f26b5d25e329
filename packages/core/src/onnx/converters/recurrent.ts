/**
 * Converters for tfjs recurrent layers to the native ONNX LSTM, GRU and RNN ops: SimpleRNN,
 * LSTM, GRU (returnSequences, returnState, goBackwards, initial states), Bidirectional (every
 * mergeMode, returnState) and TimeDistributed (Dense directly, other layers by folding time
 * into the batch).
 *
 * The ops run with layout 0 ([T, B, I]): onnxruntime CPU and CUDA reject layout 1, so the
 * batch-major tfjs input is transposed in, and the outputs transposed back.
 */
import { OptionError } from '../../errors.js';
import type { tf } from '../../tf.js';
import type { ConverterContext, LayerConverter } from '../registry.js';
import {
  activationAttrs,
  type CellProps,
  directionWeights,
  gateCount,
  type OnnxActivation,
  onnxActivation,
  type RecurrentOp,
  stack,
} from './recurrent-weights.js';

/** The fields of a tfjs RNN layer (LSTM, GRU, SimpleRNN) the converters read. */
interface RnnProps {
  name: string;
  cell: CellProps;
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  stateful: boolean;
  getClassName(): string;
}

interface BidirectionalProps {
  name: string;
  forwardLayer: RnnProps;
  backwardLayer: RnnProps;
  mergeMode: 'concat' | 'sum' | 'mul' | 'ave' | null | undefined;
  returnSequences: boolean;
  returnState: boolean;
}

const OPS: Record<string, RecurrentOp> = { LSTM: 'LSTM', GRU: 'GRU', SimpleRNN: 'RNN' };

function opOf(layer: RnnProps): RecurrentOp {
  const op = OPS[layer.getClassName()];
  if (!op) throw new OptionError(`Layer '${layer.name}': ${layer.getClassName()} is not LSTM, GRU or SimpleRNN.`);
  if (layer.stateful) throw new OptionError(`Layer '${layer.name}': stateful recurrent layers cannot be exported; rebuild it with stateful: false.`);
  return op;
}

/** The activations of one direction in ONNX order: LSTM (f, g, h), GRU (f, g), RNN (f). */
function activationsOf(layer: RnnProps, op: RecurrentOp): OnnxActivation[] {
  const act = onnxActivation(layer.cell.activation, layer.name);
  if (op === 'RNN') return [act];
  const rec = onnxActivation(layer.cell.recurrentActivation, layer.name);
  return op === 'LSTM' ? [rec, act, act] : [rec, act];
}

/** Number of states a layer of this op returns (LSTM h and c, others h). */
const stateCount = (op: RecurrentOp) => (op === 'LSTM' ? 2 : 1);

/**
 * Emits one ONNX recurrent node over `x` ([B, T, I], batch-major) for one or two directions.
 * `initial` holds, per state kind (h, then c for LSTM), a [dirs, B, H] value or ''.
 * Returns Y [T, dirs, B, H] and the final states [dirs, B, H] (h, then c for LSTM).
 */
function emitRecurrent(ctx: ConverterContext, x: string, layers: RnnProps[], direction: string, initial: string[]) {
  const op = opOf(layers[0]);
  const H = layers[0].cell.units;
  const acts = activationsOf(layers[0], op);
  for (const l of layers.slice(1)) {
    if (JSON.stringify(activationsOf(l, opOf(l))) !== JSON.stringify(acts)) {
      throw new OptionError(`Layer '${l.name}': both directions must use the same activations to export as one ONNX ${op}.`);
    }
  }
  const w = layers.map((l) => directionWeights(l.cell, op));
  const G = gateCount(op);
  const dirs = layers.length;
  const I = w[0].inputSize;
  const W = ctx.graph.initializer(stack(w.map((d) => d.W)), [dirs, G * H, I], `${layers[0].name}/W`);
  const R = ctx.graph.initializer(stack(w.map((d) => d.R)), [dirs, G * H, H], `${layers[0].name}/R`);
  const B = ctx.graph.initializer(stack(w.map((d) => d.B)), [dirs, 2 * G * H], `${layers[0].name}/B`);
  const X = ctx.node('Transpose', [x], { perm: [1, 0, 2] });
  const inputs = [X, W, R, B, '', ...initial];
  while (inputs[inputs.length - 1] === '') inputs.pop();
  const outs = ctx.node(op, inputs, { hidden_size: H, direction, ...activationAttrs(acts, dirs) }, { outputs: 1 + stateCount(op) });
  return { op, H, Y: outs[0], states: outs.slice(1) };
}

/** [T, dirs, B, H] -> [B, T, dirs*H] (directions concatenated per step). */
function sequenceOut(ctx: ConverterContext, Y: string, width: number): string {
  const t = ctx.node('Transpose', [Y], { perm: [2, 0, 1, 3] });
  return ctx.node('Reshape', [t, ctx.constantInt64([0, 0, width])]);
}

/** Reverses [B, T, ...] along time. */
function reverseTime(ctx: ConverterContext, x: string): string {
  const big = 2 ** 62;
  return ctx.node('Slice', [x, ctx.constantInt64([-1]), ctx.constantInt64([-big]), ctx.constantInt64([1]), ctx.constantInt64([-1])]);
}

/** A [dirs, B, H] state's direction `d` as [B, H]. */
const pick = (ctx: ConverterContext, s: string, d: number) => ctx.node('Gather', [s, ctx.constantInt64([d], [])], { axis: 0 });

/** SimpleRNN, LSTM and GRU. Extra inputs after the sequence are initial states ([B, H] each). */
const convertRnn: LayerConverter = (layer, ctx) => {
  const l = layer as unknown as RnnProps;
  const initial = ctx.inputs.slice(1).map((s) => ctx.node('Unsqueeze', [s, ctx.constantInt64([0])]));
  const { H, Y, states } = emitRecurrent(ctx, ctx.inputs[0], [l], l.goBackwards ? 'reverse' : 'forward', initial);
  let out: string;
  if (l.returnSequences) {
    out = sequenceOut(ctx, Y, H);
    if (l.goBackwards) out = reverseTime(ctx, out);
  } else {
    out = pick(ctx, states[0], 0);
  }
  return l.returnState ? [out, ...states.map((s) => pick(ctx, s, 0))] : out;
};

/** Bidirectional(LSTM | GRU | SimpleRNN) with mergeMode concat, sum, mul, ave or null; returnState. */
const convertBidirectional: LayerConverter = (layer, ctx) => {
  const b = layer as unknown as BidirectionalProps;
  const fw = b.forwardLayer;
  const bw = b.backwardLayer;
  if (fw.goBackwards || !bw.goBackwards) {
    throw new OptionError(`Layer '${b.name}': only a forward inner layer (goBackwards: false) can be exported.`);
  }
  const op = opOf(fw);
  const n = stateCount(op);
  const given = ctx.inputs.slice(1);
  const initial =
    given.length === 0
      ? []
      : Array.from({ length: n }, (_, k) =>
          ctx.node('Concat', [given[k], given[n + k]].map((s) => ctx.node('Unsqueeze', [s, ctx.constantInt64([0])])), { axis: 0 }),
        );
  const { H, Y, states } = emitRecurrent(ctx, ctx.inputs[0], [fw, bw], 'bidirectional', initial);
  const mode = b.mergeMode;
  let concat = '';
  let both: [string, string] = ['', ''];
  if (b.returnSequences) {
    const bt = ctx.node('Transpose', [Y], { perm: [2, 0, 1, 3] }); // [B, T, 2, H]
    if (mode === 'concat') concat = (ctx.node('Reshape', [bt, ctx.constantInt64([0, 0, 2 * H])]));
    else both = [0, 1].map((d) => ctx.node('Gather', [bt, ctx.constantInt64([d], [])], { axis: 2 })) as [string, string];
  } else if (mode === 'concat') {
    concat = ctx.node('Reshape', [ctx.node('Transpose', [states[0]], { perm: [1, 0, 2] }), ctx.constantInt64([0, 2 * H])]);
  } else {
    both = [pick(ctx, states[0], 0), pick(ctx, states[0], 1)];
  }
  let outputs: string[];
  if (mode === 'concat') outputs = [concat];
  else if (mode === 'sum') outputs = [ctx.node('Add', both)];
  else if (mode === 'mul') outputs = [ctx.node('Mul', both)];
  else if (mode === 'ave') outputs = [ctx.node('Mul', [ctx.node('Add', both), ctx.constantFloat([0.5])])];
  else if (mode == null) outputs = both;
  else throw new OptionError(`Layer '${b.name}': unknown mergeMode '${mode}'.`);
  if (!b.returnState) return outputs.length === 1 ? outputs[0] : outputs;
  const finals = [0, 1].flatMap((d) => states.map((s) => pick(ctx, s, d)));
  return [...outputs, ...finals];
};

/**
 * TimeDistributed(layer): Dense is applied directly (MatMul broadcasts over time); any other
 * layer with a converter runs on [B*T, ...] and is reshaped back to [B, T, ...].
 */
const convertTimeDistributed: LayerConverter = (layer, ctx) => {
  const inner = (layer as unknown as { layer: tf.layers.Layer }).layer;
  const convert = ctx.converterOf(inner.getClassName());
  if (!convert) throw new OptionError(`Layer '${layer.name}': no ONNX converter for the wrapped ${inner.getClassName()}.`);
  if (inner.getClassName() === 'Dense') return convert(inner, ctx);
  const inRest = ctx.inputShapes[0].slice(2);
  const outRest = ctx.outputShapes[0].slice(2);
  if ([...inRest, ...outRest].some((d) => d == null)) {
    throw new OptionError(`Layer '${layer.name}': TimeDistributed needs fixed feature sizes to export.`);
  }
  const x = ctx.inputs[0];
  const bt = ctx.node('Slice', [ctx.node('Shape', [x]), ctx.constantInt64([0]), ctx.constantInt64([2])]);
  const flat = ctx.node('Reshape', [x, ctx.constantInt64([-1, ...(inRest as number[])])]);
  const innerCtx = Object.create(ctx, {
    inputs: { value: [flat] },
    inputShapes: { value: [[null, ...inRest]] },
    outputShapes: { value: [[null, ...outRest]] },
  }) as ConverterContext;
  const y = convert(inner, innerCtx);
  const shape = ctx.node('Concat', [bt, ctx.constantInt64(outRest as number[])], { axis: 0 });
  return ctx.node('Reshape', [Array.isArray(y) ? y[0] : y, shape]);
};

/** This file's converters by tfjs layer class; the registry adds them on first use. */
export const converters = new Map<string, LayerConverter>([
  ['LSTM', convertRnn],
  ['GRU', convertRnn],
  ['SimpleRNN', convertRnn],
  ['Bidirectional', convertBidirectional],
  ['TimeDistributed', convertTimeDistributed],
]);
