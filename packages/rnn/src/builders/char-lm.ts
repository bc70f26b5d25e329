/**
 * The generation graph of a {@link charLanguageModel}: the same layers and weights, but each
 * recurrent layer takes its initial state as an input and returns its final state, so
 * onnxruntime can feed a prompt once and then one character per step
 * (`OnnxCharLanguageModel` in `@neurozoo/rnn/runtime`).
 */
import { OptionError, tf } from '@neurozoo/core';

/** The step model and the size of each state input (in input order after the tokens). */
export interface CharStepModel {
  /** Inputs: tokens [batch, steps], then h (and c for LSTM) of every recurrent layer; outputs: probabilities [batch, steps, V], then the new states in the same order. */
  model: tf.LayersModel;
  states: number[];
}

type Cfg = Record<string, unknown>;
const config = (l: tf.layers.Layer) => l.getConfig() as Cfg;

/**
 * Builds the stateful step model of a trained character LM (Embedding, unidirectional
 * LSTM/GRU/SimpleRNN layers, optional Dropout, TimeDistributed(Dense softmax)), copying its
 * weights. Throws OptionError for any other layer (e.g. Bidirectional: it cannot run step by step).
 */
export function charStepModel(lm: tf.LayersModel): CharStepModel {
  const tokens = tf.input({ shape: [null], name: 'tokens' });
  const stateInputs: tf.SymbolicTensor[] = [];
  const stateOutputs: tf.SymbolicTensor[] = [];
  const sizes: number[] = [];
  const copies: [tf.layers.Layer, tf.layers.Layer][] = [];
  let h: tf.SymbolicTensor = tokens;
  for (const layer of lm.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer' || cls === 'Dropout') continue;
    let copy: tf.layers.Layer;
    if (cls === 'Embedding') {
      copy = tf.layers.embedding(config(layer) as never);
      h = copy.apply(h) as tf.SymbolicTensor;
    } else if (cls === 'LSTM' || cls === 'GRU' || cls === 'SimpleRNN') {
      const units = config(layer).units as number;
      const n = cls === 'LSTM' ? 2 : 1;
      const states = Array.from({ length: n }, (_, k) => tf.input({ shape: [units], name: `${layer.name}_${k === 0 ? 'h' : 'c'}` }));
      const make = { LSTM: tf.layers.lstm, GRU: tf.layers.gru, SimpleRNN: tf.layers.simpleRNN }[cls];
      copy = make({ ...config(layer), returnSequences: true, returnState: true } as never);
      const [seq, ...out] = copy.apply([h, ...states]) as tf.SymbolicTensor[];
      h = seq;
      stateInputs.push(...states);
      stateOutputs.push(...out);
      sizes.push(...states.map(() => units));
    } else if (cls === 'TimeDistributed') {
      const inner = (layer as unknown as { layer: tf.layers.Layer }).layer;
      if (inner.getClassName() !== 'Dense') throw new OptionError(`charStepModel: TimeDistributed(${inner.getClassName()}) is not supported; expected TimeDistributed(Dense)`);
      copy = tf.layers.timeDistributed({ layer: tf.layers.dense(config(inner) as never), name: layer.name });
      h = copy.apply(h) as tf.SymbolicTensor;
    } else {
      throw new OptionError(`charStepModel: layer '${layer.name}' of class ${cls} cannot run step by step; expected Embedding, LSTM, GRU, SimpleRNN, Dropout, TimeDistributed(Dense)`);
    }
    copies.push([layer, copy]);
  }
  if (stateInputs.length === 0) throw new OptionError(`charStepModel: model '${lm.name}' has no recurrent layer`);
  const model = tf.model({ inputs: [tokens, ...stateInputs], outputs: [h, ...stateOutputs], name: 'char_lm_step' });
  for (const [from, to] of copies) to.setWeights(from.getWeights());
  return { model, states: sizes };
}
