/**
 * The transformer family in the harness (issue #8): the GPT-style char LM (`buildGpt`) as its
 * full-sequence graph (`exportOnnx`) and as one key/value-cache decode step
 * (`exportDecodeStep`); and the G2P encoder-decoder transformer (`buildSeq2SeqTransformer`) as
 * the two graphs of `exportSeq2Seq`: the encoder (memory mask and cross-attention keys/values)
 * and the decoder step (self-attention cache). Seeded random weights (`randomizeWeights`).
 *
 * Every golden is tfjs: logits from the full model on the whole prefix, and keys/values
 * recomputed in tfjs from a block's input (a sub-model output) and its weights, so nothing
 * onnxruntime computed is fed back as a reference.
 */
import { tf } from '@neurozoo/core';
import { randomizeWeights } from '@neurozoo/core/testing';
import {
  type AttentionSpec,
  type AttentionWeights,
  buildGpt,
  buildSeq2SeqTransformer,
  exportDecodeStep,
  exportSeq2Seq,
  seq2seqParts,
  type TransformerBlock,
  type TransformerDecoderBlock,
  TransformerEncoderBlock,
} from '@neurozoo/transformer';
import { type HarnessGraph, registerHarnessModel } from '../registry.js';

const VOCAB = 29;
const CONTEXT = 16;

/**
 * A pre-LN GELU GPT (2 blocks, width 32, 2 heads, context 16) with every weight drawn at random
 * (core's `randomizeWeights`: biases and LayerNormalization gains are not 0/1 as initialised).
 */
function gpt(): tf.LayersModel {
  const model = buildGpt({ vocabSize: VOCAB, contextLength: CONTEXT, dim: 32, heads: 2, layers: 2, ffDim: 64, dropout: 0 }, 6);
  randomizeWeights(model, 8);
  return model;
}

/** Token ids [batch, length] (float32, as the graphs take them), the same prefix for every length. */
function ids(batch: number, length: number): tf.Tensor2D {
  return tf.tensor2d(Array.from({ length: batch * length }, (_, i) => (Math.floor(i / length) * 13 + (i % length) * 7 + 3) % VOCAB), [batch, length]);
}

/**
 * Not on the WebGPU EP: on the webgpu bundle, nothing (every node of the full-sequence and the
 * decode-step graphs runs on WebGpuExecutionProvider); JSEP (default bundle) runs the ids ->
 * int64 `Cast` of the embedding on the CPU, as for 'embedding'. onnxruntime places shape
 * computations on the CPU on purpose (session_state.cc: "ORT explicitly assigns shape related
 * ops to CPU to improve perf"), so packages/transformer slices the causal mask and the position
 * rows with `Shape` outputs fed straight into single-axis `Slice` starts/ends (no Sub/Concat/Add
 * on shapes), of values no Transpose produced (ORT rewrites Shape(Transpose) into Shape + Gather).
 */
const TRANSFORMER_NOT_ON_WEBGPU = { default: ['Cast'] };

// Full-sequence graph: ids [2, 6] -> logits [2, 6, 29] (causal mask sliced from a [16, 16] table).
registerHarnessModel({ name: 'transformer-gpt', build: gpt, inputs: () => [ids(2, 6)], notOnWebGpu: TRANSFORMER_NOT_ON_WEBGPU });

/** An attention sublayer's weights and sizes (self- or cross-attention of a block). */
interface Attention {
  weights: AttentionWeights;
  spec: AttentionSpec;
}

/** The keys and values [b, H, T, d] `a` projects from `y` [b, T, width], as tfjs computes them. */
function project(y: tf.Tensor, a: Attention): tf.Tensor[] {
  const [batch, steps, width] = y.shape;
  const { numHeads, keyDim, valueDim } = a.spec;
  const one = (kernel: tf.LayerVariable, bias: tf.LayerVariable | null, dim: number) => {
    const p = tf.matMul(y.reshape([-1, width]), kernel.read() as tf.Tensor2D);
    return (bias ? p.add(bias.read()) : p).reshape([batch, steps, numHeads, dim]).transpose([0, 2, 1, 3]);
  };
  return [one(a.weights.key, a.weights.keyBias, keyDim), one(a.weights.value, a.weights.valueBias, valueDim)];
}

/**
 * Keys and values [b, H, T, d] the causal self-attention of each of `blocks` attends over, for
 * the model's `inputs`: LN1 (pre-LN) of the block's input, projected and split into heads.
 */
function selfKeyValues(model: tf.LayersModel, blocks: TransformerBlock[], attention: (b: TransformerBlock) => Attention, inputs: tf.Tensor[]): tf.Tensor[] {
  const steps = inputs[inputs.length - 1].shape[1] as number;
  if (steps === 0) {
    const batch = inputs[0].shape[0];
    return blocks.flatMap((b) => [tf.zeros([batch, b.spec.numHeads, 0, b.spec.keyDim]), tf.zeros([batch, b.spec.numHeads, 0, b.spec.valueDim])]);
  }
  const firstInput = (b: TransformerBlock) => (Array.isArray(b.input) ? b.input[0] : b.input);
  const inputsOf = tf.model({ inputs: model.inputs, outputs: blocks.map(firstInput) });
  return tf.tidy(() => {
    const raw = inputsOf.predict(inputs.length === 1 ? inputs[0] : inputs);
    const xs = Array.isArray(raw) ? raw : [raw];
    return blocks.flatMap((b, i) => project(b.normFirst ? layerNorm(xs[i], b.norms[0].gamma.read(), b.norms[0].beta.read(), b.epsilon) : xs[i], attention(b)));
  });
}

/** Names the tensors [k0, v0, k1, v1, ...] `${prefix}key_i` / `${prefix}value_i`. */
function cacheNames(prefix: string, kv: tf.Tensor[]): Record<string, tf.Tensor> {
  return Object.fromEntries(kv.map((t, k) => [`${prefix}${k % 2 ? 'value' : 'key'}_${k >> 1}`, t]));
}

const gptBlocks = (model: tf.LayersModel) => model.layers.filter((l): l is TransformerEncoderBlock => l instanceof TransformerEncoderBlock);
const gptSelf = (b: TransformerBlock): Attention => ({ weights: (b as TransformerEncoderBlock).attention, spec: b.spec });

function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return x.sub(mean).div(variance.add(epsilon).sqrt()).mul(gamma).add(beta);
}

/**
 * The decode step fed `past` cached tokens and `fresh` new ones per row: inputs ids (the new
 * tokens) and past_key_i/past_value_i (tfjs keys/values of the first `past` tokens), outputs the
 * tfjs logits of the new positions (full model on the whole prefix) and the keys/values of all
 * `past + fresh` tokens.
 */
function decodeStep(batch: number, past: number, fresh: number): HarnessGraph {
  const model = gpt();
  const all = ids(batch, past + fresh);
  const prefix = all.slice([0, 0], [batch, past]);
  const logits = tf.tidy(() => (model.predict(all) as tf.Tensor).slice([0, past, 0], [batch, fresh, VOCAB]));
  const inputs = { ids: all.slice([0, past], [batch, fresh]), ...cacheNames('past_', selfKeyValues(model, gptBlocks(model), gptSelf, [prefix])) };
  const outputs = { logits, ...cacheNames('present_', selfKeyValues(model, gptBlocks(model), gptSelf, [all])) };
  tf.dispose([all, prefix]);
  return { onnx: exportDecodeStep(model), inputs, outputs, dispose: () => model.dispose() };
}

// One generation step as `OnnxLanguageModel.generate` runs it after the prefill: the 7th token of
// each row after 6 cached ones (Concat of the cache and the new keys/values). The empty cache of
// the prefill is exercised by the G2P decoder step below (its first step).
registerHarnessModel({ name: 'transformer-gpt-step', graph: () => decodeStep(2, 6, 1), notOnWebGpu: TRANSFORMER_NOT_ON_WEBGPU });

/** The G2P transformer's sizes: 26 letters + padding in, 39 ARPAbet phonemes + padding, BOS, EOS out. */
const G2P = { sourceVocabSize: 27, targetVocabSize: 42, maxSourceLength: 12, maxTargetLength: 12 };

/** A pre-LN G2P transformer (2 + 2 blocks, width 32, 2 heads), every weight drawn at random. */
function g2pTransformer(): tf.LayersModel {
  const model = buildSeq2SeqTransformer({ ...G2P, dim: 32, heads: 2, encoderLayers: 2, decoderLayers: 2, ffDim: 64, dropout: 0 }, 9);
  randomizeWeights(model, 10);
  return model;
}

/** Three words of 7, 4 and 6 letters as ids, padded with 0 to [3, 7] (float32), so the padding mask matters. */
function g2pSources(): tf.Tensor2D {
  const rows = [[3, 8, 18, 15, 13, 9, 21], [23, 15, 18, 4], [16, 9, 16, 5, 12, 9]];
  return tf.tensor2d(rows.flatMap((r) => [...r, ...new Array(7 - r.length).fill(0)]), [3, 7]);
}

/** tfjs encoder outputs: the padding mask [b, S] and each decoder block's cross-attention keys/values of the memory. */
function g2pMemory(model: tf.LayersModel, source: tf.Tensor): Record<string, tf.Tensor> {
  const parts = seq2seqParts(model);
  const memoryOf = (b: TransformerBlock) => (b.input as tf.SymbolicTensor[])[1];
  const sub = tf.model({ inputs: model.inputs[0], outputs: [parts.sourceMask.output as tf.SymbolicTensor, memoryOf(parts.decoder[0])] });
  return tf.tidy(() => {
    const [mask, memory] = sub.predict(source) as tf.Tensor[];
    const kv = parts.decoder.flatMap((b) => project(memory, { weights: b.crossAttention, spec: b.crossSpec }));
    return { memory_mask: mask, ...cacheNames('memory_', kv) };
  });
}

// encoder.onnx: source ids [3, 7] (one row padded) -> memory_mask and memory_key/value_0..1.
registerHarnessModel({
  name: 'transformer-g2p-encoder',
  graph: () => {
    const model = g2pTransformer();
    const source = g2pSources();
    return { onnx: exportSeq2Seq(model).encoder, inputs: { source }, outputs: g2pMemory(model, source), dispose: () => model.dispose() };
  },
  notOnWebGpu: TRANSFORMER_NOT_ON_WEBGPU,
});

// decoder-step.onnx at the first step of decoding, as `OnnxG2P` runs it: BOS fed with an empty
// self-attention cache (zero-size past_* inputs) and the tfjs encoder's memory.
registerHarnessModel({
  name: 'transformer-g2p-decoder-step',
  graph: () => {
    const model = g2pTransformer();
    const source = g2pSources();
    const target = tf.tensor2d([1, 1, 1], [3, 1]); // BOS
    const [past, fresh] = [0, 1];
    const prefix = target.slice([0, 0], [3, past]);
    const parts = seq2seqParts(model);
    const self = (b: TransformerBlock): Attention => ({ weights: (b as TransformerDecoderBlock).selfAttention, spec: b.spec });
    const logits = tf.tidy(() => (model.predict([source, target]) as tf.Tensor).slice([0, past, 0], [3, fresh, G2P.targetVocabSize]));
    const inputs = {
      ids: target.slice([0, past], [3, fresh]),
      ...g2pMemory(model, source),
      ...cacheNames('past_', selfKeyValues(model, parts.decoder, self, [source, prefix])),
    };
    const outputs = { logits, ...cacheNames('present_', selfKeyValues(model, parts.decoder, self, [source, target])) };
    tf.dispose([source, target, prefix]);
    return { onnx: exportSeq2Seq(model).decoderStep, inputs, outputs, dispose: () => model.dispose() };
  },
  notOnWebGpu: TRANSFORMER_NOT_ON_WEBGPU,
});
