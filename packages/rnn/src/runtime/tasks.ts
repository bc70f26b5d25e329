/**
 * The rnn family's `pipeline()` tasks: 'transcribe' with {@link OnnxSeq2Seq} (encoder +
 * decoder-step graphs, vocabulary in their metadata), 'tag' with {@link OnnxTagger} (model.onnx +
 * vocab.json) and 'generate' with {@link OnnxCharLanguageModel} (step.onnx + vocab.json).
 */
import type { Seq2SeqVocab, TaskHandler } from '@neurozoo/core/runtime';
import type { TaggerVocab } from '../vocab.js';
import { type CharLmVocab, OnnxCharLanguageModel } from './charlm.js';
import { OnnxSeq2Seq } from './seq2seq.js';
import { OnnxTagger } from './tagger.js';

const seq2seqHandler: TaskHandler<'transcribe'> = {
  task: 'transcribe',
  family: 'rnn',
  name: 'OnnxSeq2Seq',
  accepts: (model) => model.metadata['neurozoo.vocab'] !== undefined,
  async open(model, options) {
    const vocab = JSON.parse(model.metadata['neurozoo.vocab']) as Seq2SeqVocab;
    const [encoder, decoderStep] = await Promise.all([model.graph('encoder', 'encoder.onnx'), model.graph('decoder-step', 'decoder-step.onnx')]);
    const seq2seq = await OnnxSeq2Seq.load(encoder, decoderStep, vocab, options);
    return {
      session: seq2seq.encoder,
      release: () => seq2seq.release(),
      async run(input, { beam }) {
        const words = typeof input === 'string' ? [input] : input;
        const predictions = await seq2seq.predict(words, { beam });
        return predictions.map((p, i) => ({ word: words[i], phonemes: p.symbols, ids: p.ids, logProb: p.logProb }));
      },
    };
  },
};

const taggerHandler: TaskHandler<'tag'> = {
  task: 'tag',
  family: 'rnn',
  name: 'OnnxTagger',
  accepts: (model) => model.metadata['neurozoo.tags'] !== undefined,
  async open(model, options) {
    const tagger = await OnnxTagger.load(model.bytes, await model.json<TaggerVocab>('vocab.json'), options);
    return { session: tagger.session, release: () => tagger.release(), run: (input) => tagger.tag(typeof input === 'string' ? [input] : input) };
  },
};

const charLmHandler: TaskHandler<'generate'> = {
  task: 'generate',
  family: 'rnn',
  name: 'OnnxCharLanguageModel',
  accepts: (model) => model.metadata['neurozoo.arch'] === 'char-lstm',
  async open(model, options) {
    const [step, vocab] = await Promise.all([model.graph('step', 'step.onnx'), model.json<CharLmVocab>('vocab.json')]);
    const lm = await OnnxCharLanguageModel.load(step, vocab, options);
    return {
      session: lm.session,
      release: () => lm.release(),
      async run(prompt, generateOptions) {
        const { text, ids, tokensPerSecond } = await lm.generate(prompt, generateOptions);
        return { text, ids, tokensPerSecond };
      },
    };
  },
};

/** Every task handler of the rnn family, registered by `@neurozoo/rnn/runtime`. */
export const RNN_TASKS = [seq2seqHandler, taggerHandler, charLmHandler];
