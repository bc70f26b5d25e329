import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, Rng, tf } from '@neurozoo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildTaggerVocab,
  fitTagger,
  lengthBatches,
  predictTags,
  sentenceWords,
  sequenceTagger,
  tagAccuracy,
  UNKNOWN_WORD_CLASSES,
  unknownWordClass,
  wordIndex,
} from '../src/index.js';
import { pickToken, seededRandom } from '../src/runtime/index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('tagger vocabulary', () => {
  it('classes unknown words by shape', () => {
    const cases: [string, string][] = [
      ['1961', '<unk-num>'], ['$3.50', '<unk-num>'], ['--', '<unk-punct>'], ['well-known', '<unk-hyphen>'], ['Zorblax', '<unk-cap>'],
      ['zorbing', '<unk-ing>'], ['zorbed', '<unk-ed>'], ['zorbly', '<unk-ly>'], ['zorbation', '<unk-tion>'], ['zorbs', '<unk-s>'], ['zorb', '<unk>'],
    ];
    for (const [word, cls] of cases) expect(unknownWordClass(word), word).toBe(cls);
    expect(UNKNOWN_WORD_CLASSES).toContain('<unk>');
  });

  it('knows lower-cased words seen at least minCount times; others map to their class', () => {
    const vocab = buildTaggerVocab(['The', 'the', 'cat', 'Cat', 'sat', 'running'], ['NOUN', 'VERB'], 2);
    expect(vocab.words.slice(0, 2)).toEqual(['<pad>', '<unk>']);
    expect(vocab.words.slice(1 + UNKNOWN_WORD_CLASSES.length)).toEqual(['cat', 'the']);
    const id = wordIndex(vocab);
    expect(vocab.words[id('THE')]).toBe('the');
    expect(vocab.words[id('sat')]).toBe('<unk>');
    expect(vocab.words[id('running')]).toBe('<unk-ing>');
    expect(sentenceWords(['The cat', ' sat '])).toEqual(['The', 'cat', 'sat']);
    expect(() => sentenceWords(['', ' '])).toThrow('Empty input: give at least one word to tag.');
  });
});

describe('tagger training', () => {
  it('batches hold sentences of one length, each sentence once per epoch', () => {
    const lengths = [3, 1, 3, 2, 3, 2, 5, 3];
    const batches = lengthBatches(lengths, 2, new Rng(1));
    expect(batches.flat().sort()).toEqual(lengths.map((_, i) => i));
    for (const b of batches) {
      expect(b.length).toBeLessThanOrEqual(2);
      expect(new Set(b.map((i) => lengths[i])).size).toBe(1);
    }
  });

  it('learns a toy rule, keeps one-word sentences out of training, predicts them, and does not leak tensors', async () => {
    // tag 1 after word 1, else tag 0: needs the previous word (the forward direction)
    const rng = new Rng(3);
    const sentences = Array.from({ length: 96 }, (_, i) => {
      const words = Int32Array.from({ length: 1 + (i % 5) }, () => 1 + Math.floor(rng.next() * 4));
      return { words, tags: Int32Array.from(words, (_, t) => (t > 0 && words[t - 1] === 1 ? 1 : 0)) };
    });
    const model = sequenceTagger({ vocabSize: 5, outputs: 2, units: [8], embeddingDim: 4, learningRate: 2e-2 });
    const first = await fitTagger(model, sentences, { epochs: 1, batchSize: 16, learningRate: 2e-2 }); // creates Adam's slots
    const before = tf.memory().numTensors;
    const fit = await fitTagger(model, sentences, { epochs: 8, batchSize: 16, learningRate: 2e-2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(fit.history.loss).toHaveLength(8);
    expect(fit.history.loss[7]).toBeLessThan(first.history.loss[0]);
    const predicted = predictTags(model, sentences);
    expect(tf.memory().numTensors).toBe(before);
    expect(predicted[0]).toHaveLength(1); // a one-word sentence
    expect(tagAccuracy(sentences, predicted)).toBeGreaterThan(0.9);
    await expect(fitTagger(model, sentences.filter((s) => s.words.length === 1), { epochs: 1 })).rejects.toThrow(
      'fitTagger needs at least one sentence of two or more words',
    );
    await expect(fitTagger(model, [{ words: new Int32Array(2), tags: new Int32Array(1) }], { epochs: 1 })).rejects.toThrow(
      'sentence 0 has 2 words and 1 tags; each needs at least one word and one tag per word',
    );
    model.dispose();
  });
});

describe('fitTagger checkpoints', () => {
  it('a run stopped after epoch 2 and resumed ends with the weights and history of an uninterrupted run', async () => {
    const rng = new Rng(4);
    const sentences = Array.from({ length: 64 }, (_, i) => {
      const words = Int32Array.from({ length: 2 + (i % 4) }, () => 1 + Math.floor(rng.next() * 4));
      return { words, tags: Int32Array.from(words, (w) => w % 2) };
    });
    const make = () => sequenceTagger({ vocabSize: 5, outputs: 2, units: [6], embeddingDim: 4, learningRate: 2e-2, seed: 7 });
    const options = { epochs: 3, batchSize: 16, learningRate: 2e-2 };
    const dir = mkdtempSync(join(tmpdir(), 'nz-tagger-ckpt-'));
    const [straight, stopped, resumed] = [make(), make(), make()];
    try {
      const whole = await fitTagger(straight, sentences, options);
      const kill = (epoch: number) => {
        if (epoch === 1) throw new Error('killed after epoch 2');
      };
      await expect(fitTagger(stopped, sentences, { ...options, checkpointDir: dir, onEpoch: kill })).rejects.toThrow('killed after epoch 2');
      const rest = await fitTagger(resumed, sentences, { ...options, checkpointDir: dir, resume: true });
      expect(rest.epochs).toEqual([2]);
      expect(rest.history).toEqual(whole.history);
      const [a, b] = [straight.getWeights(), resumed.getWeights()];
      a.forEach((w, i) => expect(tf.tidy(() => tf.max(tf.abs(tf.sub(w, b[i]))).dataSync()[0])).toBe(0));
    } finally {
      for (const m of [straight, stopped, resumed]) m.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runtime helpers', () => {
  it('pickToken: greedy argmax, seeded sampling, top-k 1 and a tiny top-p are greedy', () => {
    const logits = Float32Array.from([0.1, 0.5, 0.3, 0.1], Math.log); // how the char LM runtime calls it
    expect(pickToken(logits, {}, seededRandom(0))).toBe(1);
    const draw = (seed: number) => Array.from({ length: 50 }, ((r) => () => pickToken(logits, { temperature: 1 }, r))(seededRandom(seed)));
    expect(draw(4)).toEqual(draw(4));
    const counts = [0, 0, 0, 0];
    for (const t of draw(5)) counts[t]++;
    expect(counts[1]).toBeGreaterThan(counts[0]);
    expect(pickToken(logits, { temperature: 5, topK: 1 }, seededRandom(1))).toBe(1);
    expect(pickToken(logits, { temperature: 5, topP: 0.01 }, seededRandom(1))).toBe(1);
  });
});
