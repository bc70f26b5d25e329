/**
 * ONNX export of {@link Seq2Seq} as two graphs: `encoder.onnx` (source ids [batch, steps] ->
 * encoder states [batch, steps, H], h0, c0 [batch, H]; a native bidirectional ONNX LSTM) and
 * `decoder-step.onnx` (previous token [batch] int32, h, c [batch, H], encoder states
 * [batch, steps, H] -> logits [batch, V], new h, c, attention weights [batch, steps]), written
 * op for op like {@link Seq2Seq.step}.
 */
import { exportOnnx, OnnxGraph } from '@neurozoo/core';
import type { Seq2Seq } from './builders/seq2seq.js';

/** Both graphs' bytes. */
export interface Seq2SeqOnnx {
  encoder: Uint8Array;
  decoderStep: Uint8Array;
}

/** Input and output names of `decoder-step.onnx`. */
const DECODER_STEP_IO = {
  inputs: ['token', 'h', 'c', 'encoder_states'],
  outputs: ['logits', 'h_out', 'c_out', 'attention'],
} as const;

function decoderStepGraph(model: Seq2Seq, opset: number): OnnxGraph {
  const g = new OnnxGraph(opset, 'decoder_step');
  const H = model.hiddenSize;
  const d = model.decoder;
  const token = g.input('token', ['batch'], 'int32');
  const h = g.input('h', ['batch', H]);
  const c = g.input('c', ['batch', H]);
  const enc = g.input('encoder_states', ['batch', 'steps', H]);
  const w = (k: keyof typeof d) => g.initializer(d[k], undefined, k);
  g.scope = 'attention';
  const scores = g.node('Reshape', [g.node('MatMul', [enc, g.node('Unsqueeze', [h, g.constantInt64([2])])]), g.constantInt64([0, -1])]);
  const attention = g.node('Softmax', [scores], { axis: -1 });
  const context = g.node('Reshape', [g.node('MatMul', [g.node('Unsqueeze', [attention, g.constantInt64([1])]), enc]), g.constantInt64([0, -1])]);
  g.scope = 'cell';
  const x = g.node('Concat', [h, context, g.node('Gather', [w('embedding'), token], { axis: 0 })], { axis: 1 });
  const z = g.node('Add', [g.node('Add', [g.node('MatMul', [x, w('kernel')]), g.node('MatMul', [h, w('recurrentKernel')])]), w('bias')]);
  const [i, f, gg, o] = g.node('Split', [z, g.constantInt64([H, H, H, H])], { axis: 1 }, { outputs: 4 });
  const c2 = g.node('Add', [g.node('Mul', [g.node('Sigmoid', [f]), c]), g.node('Mul', [g.node('Sigmoid', [i]), g.node('Tanh', [gg])])]);
  const h2 = g.node('Mul', [g.node('Sigmoid', [o]), g.node('Tanh', [c2])]);
  g.scope = 'output';
  const logits = g.node('Add', [g.node('MatMul', [g.node('Concat', [h2, context], { axis: 1 }), w('outputKernel')]), w('outputBias')]);
  const V = d.outputBias.shape[0];
  const outs: [string, (string | number)[]][] = [[logits, ['batch', V]], [h2, ['batch', H]], [c2, ['batch', H]], [attention, ['batch', 'steps']]];
  outs.forEach(([value, dims], k) => {
    const named = g.renameValue(value, DECODER_STEP_IO.outputs[k]) as string;
    g.output(named, dims);
  });
  return g;
}

/** Exports the encoder and the decoder step (opset 17 by default); the vocabulary goes into both graphs' metadata. */
export async function exportSeq2Seq(model: Seq2Seq, options: { opset?: number; metadata?: Record<string, string> } = {}): Promise<Seq2SeqOnnx> {
  const opset = options.opset ?? 17;
  const metadata = { 'neurozoo.family': 'rnn', 'neurozoo.vocab': JSON.stringify(model.vocab), ...options.metadata };
  const encoder = await exportOnnx(model.encoder, { opset, metadata: { ...metadata, 'neurozoo.part': 'encoder' } });
  const decoderStep = decoderStepGraph(model, opset).toBytes({ metadata: { ...metadata, 'neurozoo.part': 'decoder-step' } });
  return { encoder, decoderStep };
}
