/**
 * The rnn family in the harness (issue #7): an LSTM reading MNIST rows, a bidirectional LSTM
 * stack, and the attention encoder-decoder's two graphs (`exportSeq2Seq`: the BiLSTM encoder
 * and the decoder step). Weights are seeded random; parity is what is checked.
 *
 * Placement: the native WebGPU EP (`onnxruntime-web/webgpu`, what `@neurozoo/core/runtime`
 * picks for recurrent models) runs every node. JSEP (the default bundle) has no LSTM kernel,
 * so there the LSTM nodes run on the CPU EP, and so do the int32/float -> int64 Casts that feed
 * an embedding's Gather (as for the plain 'embedding' model).
 */
import { tf } from '@neurozoo/core';
import { loadMnist } from '@neurozoo/datasets';
import { encodeSource, exportSeq2Seq, g2pVocab, Seq2Seq, sequenceClassifier, wordSymbols } from '@neurozoo/rnn';
import { registerHarnessModel } from '../registry.js';

/** Four MNIST test images as flat rows [4, 784]: 28 steps of 28 pixels, as the `lstm` architecture reads them. */
const mnistRows = () => [tf.tensor2d(loadMnist().test.x.subarray(0, 4 * 784), [4, 784])];

// The `lstm` architecture of `neurozoo train` (LSTM(128) over 28 rows of 28 pixels, flat input
// reshaped inside the graph), untrained. 28 recurrent steps in float32: errors stay ~1e-7.
registerHarnessModel({
  name: 'rnn-lstm-mnist-rows',
  build: () => sequenceClassifier({ steps: 28, features: 28, classes: 10, units: [128], flatInput: true, seed: 3 }),
  inputs: mnistRows,
  notOnWebGpu: { default: ['LSTM'] },
});

// Two Bidirectional(LSTM) layers, mergeMode concat: the first returns sequences (Y of the
// bidirectional ONNX LSTM, transposed and reshaped), the second its final states (Y_h).
registerHarnessModel({
  name: 'rnn-bilstm-stack',
  build: () => sequenceClassifier({ steps: 12, features: 6, classes: 5, units: [16, 12], bidirectional: true, mergeMode: 'concat', seed: 4 }),
  notOnWebGpu: { default: ['LSTM', 'LSTM'] },
});

/** A G2P vocabulary: letters in, the 39 ARPAbet phonemes out. */
const G2P_VOCAB = g2pVocab(
  [...'abcdefghijklmnopqrstuvwxyz'],
  'AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH'.split(' '),
);
/** Words of one length (the encoder takes a batch of same-length rows). */
const WORDS = ['chromium', 'pipeline', 'sequence'];

let seq2seq: Promise<{ model: Seq2Seq; encoder: Uint8Array; decoderStep: Uint8Array }> | null = null;
/** The seeded, untrained G2P model and its two graphs from `exportSeq2Seq`, made once for both registrations. */
function g2p() {
  seq2seq ??= (async () => {
    const model = Seq2Seq.create(G2P_VOCAB, { encoderUnits: 16, sourceEmbedding: 8, targetEmbedding: 8, seed: 5 });
    return { model, ...(await exportSeq2Seq(model)) };
  })();
  return seq2seq;
}
const sourceIds = () => tf.tensor2d(WORDS.flatMap((w) => Array.from(encodeSource(G2P_VOCAB, wordSymbols(w)))), [WORDS.length, WORDS[0].length]);

// encoder.onnx: source ids [batch, steps] (float32) -> encoder states, h0, c0 (a bidirectional
// ONNX LSTM; the embedding's Gather needs int64 ids, hence a Cast that JSEP leaves on the CPU).
registerHarnessModel({
  name: 'rnn-g2p-encoder',
  graph: async () => {
    const { model, encoder } = await g2p();
    const source = sourceIds();
    return { onnx: encoder, inputs: [source], outputs: model.encode(source) };
  },
  notOnWebGpu: { default: ['Cast', 'LSTM'] },
  knownWrong: [
    {
      bundle: 'default',
      device: 'webgpu',
      output: 'c0',
      holds: 'h0',
      why:
        'onnxruntime-web 1.30 JSEP: an LSTM on the CPU EP whose Y_h and Y_c both feed JSEP nodes ' +
        '(two MemcpyFromHost) hands the GPU side Y_h in place of Y_c; Y_c alone, or with Y, is right. ' +
        "@neurozoo/core/runtime's 'auto' bundle runs LSTM models on onnxruntime-web/webgpu instead",
    },
  ],
});

// decoder-step.onnx: one attention + LSTM-cell step (MatMul, Softmax, Split, Sigmoid, Tanh,
// Gather on int32 tokens), fed the encoder's real outputs and a batch of previous tokens.
registerHarnessModel({
  name: 'rnn-g2p-decoder-step',
  graph: async () => {
    const { model, decoderStep } = await g2p();
    const source = sourceIds();
    const [enc, h, c] = model.encode(source);
    source.dispose();
    const token = tf.tensor1d([1, 7, 30], 'int32'); // BOS, then two phonemes
    const out = model.step(token, h, c, enc);
    return {
      onnx: decoderStep,
      inputs: { token, h, c, encoder_states: enc },
      outputs: { logits: out.logits, h_out: out.h, c_out: out.c, attention: out.attention },
      dispose: () => model.dispose(),
    };
  },
});
