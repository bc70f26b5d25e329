import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PredictResult, TrainReport } from '../src/index.js';
import { architectures } from '../src/registry.js';
import { cli, tmp } from './helpers.js';

const readReport = (dir: string): TrainReport => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
/** Width and height of a PNG file, from its IHDR chunk. */
function pngSize(path: string): [number, number] {
  const bytes = readFileSync(path);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('neurozoo train seq2seq --dataset cmudict (a slice), then predict and inspect', () => {
  const out = tmp('nz-cli-seq2seq-');
  let report: TrainReport;
  let trainStdout: string;
  beforeAll(async () => {
    const r = await cli('train', 'seq2seq', '--limit', '300', '--epochs', '1', '--batch-size', '32', '--out', out, '--quiet');
    if (r.code !== 0) throw new Error(r.stderr);
    // The default backend: native where the addon is built (CI builds it), else wasm.
    const backend = process.env.CI ? 'native' : '(native|wasm)';
    expect(r.stdout).toMatch(new RegExp(`Training seq2seq on cmudict \\(300 samples, --limit 300, 1 epochs, batch 32, ${backend} backend\\)`));
    trainStdout = r.stdout;
    report = readReport(out);
  }, 600_000);

  it('reports PER/WER in tfjs and onnxruntime (same phonemes) and writes both graphs', () => {
    expect(report).toMatchObject({ arch: 'seq2seq', dataset: 'cmudict', limit: 300, epochs: 1, batchSize: 32 });
    expect(report.metrics.test.words).toBe(300);
    expect(report.metrics.onnxruntime).toMatchObject({ words: 300, agreementWithTfjs: 1, per: report.metrics.test.per, wer: report.metrics.test.wer });
    expect(report.parity.maxAbsError).toBeLessThan(1e-5);
    for (const f of ['encoder.onnx', 'decoder-step.onnx', 'vocab.json', 'decoder.bin', 'decoder.json']) expect(report.files.extra).toContain(join(out, f));
    expect(trainStdout).toMatch(/\n {2}onnxruntime: per \d+\.\d\d%, wer \d+\.\d\d%, words 300, agreementWithTfjs 100\.00%, provider cpu\n/);
  });

  it('predict prints one line per word, greedy and beam', async () => {
    for (const beam of [[], ['--beam', '3']]) {
      const r = await cli('predict', out, 'zebra', 'ox', ...beam);
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      // phonemes after the padded word (a model this small may still say nothing for a word)
      expect(lines[0]).toMatch(/^zebra {2}([A-Z]+( [A-Z]+)*)?$/);
      expect(lines[1]).toMatch(/^ox {5}([A-Z]+( [A-Z]+)*)?$/);
      expect(lines[2]).toBe(`(2 rows on cpu${beam.length ? ', beam 3' : ''})`);
    }
  });

  it('predict --json gives the rows with attention over the letters', async () => {
    const r = await cli('predict', out, 'cat', '--json');
    expect(r.code).toBe(0);
    const result: PredictResult = JSON.parse(r.stdout);
    expect(result.provider).toBe('cpu');
    const [row] = result.rows;
    expect(row).toMatchObject({ input: 'cat', inputSymbols: ['c', 'a', 't'] });
    expect(row.attention).toHaveLength(row.output.length + 1);
    expect(row.attention?.[0]).toHaveLength(3);
  });

  it('predict: bad input exits 1 with the exact message; usage errors exit 2', async () => {
    const unknown = await cli('predict', out, 'naïve');
    expect(unknown).toMatchObject({ code: 1, stderr: `neurozoo: 'naïve' has symbol(s) outside the vocabulary: "ï". Known: ' a b c d e f g h i j k l m n o p q r s t u v w x y z` });
    const long = await cli('predict', out, 'a'.repeat(25));
    expect(long).toMatchObject({ code: 1, stderr: `neurozoo: '${'a'.repeat(25)}' has 25 symbols; this model accepts at most 20.` });
    const empty = await cli('predict', out, '');
    expect(empty).toMatchObject({ code: 1, stderr: 'neurozoo: Empty input: give at least one symbol.' });
    const none = await cli('predict', out);
    expect(none).toMatchObject({ code: 2, stderr: `neurozoo: predict needs at least one input after the folder, e.g. neurozoo predict ${out} WORD...` });
    const beam = await cli('predict', out, 'cat', '--beam', '0');
    expect(beam).toMatchObject({ code: 2, stderr: "neurozoo: --beam expects an integer >= 1, got '0'" });
    const option = await cli('predict', out, 'cat', '--width', '2');
    expect(option).toMatchObject({ code: 2, stderr: "neurozoo: Unknown option '--width'. Valid options for 'predict': --beam, --json" });
    const folder = join(out, 'missing');
    const noReport = await cli('predict', folder, 'cat');
    expect(noReport.code).toBe(2);
    expect(noReport.stderr).toMatch(new RegExp(`^neurozoo: ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has no readable report.json \\(ENOENT.*\\); point predict at a folder written by \`neurozoo train\`$`));
  });

  it('inspect draws an attention heatmap per word', async () => {
    const r = await cli('inspect', out);
    expect(r.code).toBe(0);
    const paths = r.stdout.split('\n').map((l) => l.replace(/^wrote /, ''));
    expect(paths).toHaveLength(4);
    expect(paths[3]).toBe(join(out, 'inspect', 'attention-pronunciation.png'));
    const [width, height] = pngSize(paths[3]);
    expect(width).toBe(13 * 24);
    expect(height % 24).toBe(0);
  });
});

describe('neurozoo train bilstm-tagger (brown-pos slice), then predict', () => {
  const out = tmp('nz-cli-tagger-');
  beforeAll(async () => {
    const r = await cli('train', 'bilstm-tagger', '--limit', '400', '--epochs', '1', '--out', out, '--quiet');
    if (r.code !== 0) throw new Error(r.stderr);
  }, 600_000);

  it('reports token accuracy in tfjs and onnxruntime with full agreement', () => {
    const report = readReport(out);
    expect(report).toMatchObject({ arch: 'bilstm-tagger', dataset: 'brown-pos', limit: 400, batchSize: 64 });
    expect(report.metrics.test.sentences).toBe(400);
    expect(report.metrics.test.accuracy).toBeGreaterThan(0.3);
    expect(report.metrics.onnxruntime).toMatchObject({ accuracy: report.metrics.test.accuracy, tokenAgreementWithTfjs: 1, provider: 'cpu' });
    expect(existsSync(join(out, 'vocab.json'))).toBe(true);
  });

  it('predict tags the words as one sentence', async () => {
    const r = await cli('predict', out, 'The dog barked', '.');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.map((l) => l.split(/ +/)[0])).toEqual(['The', 'dog', 'barked', '.', '(4']);
    expect(lines[4]).toBe('(4 rows on cpu)');
    const empty = await cli('predict', out, ' ');
    expect(empty).toMatchObject({ code: 1, stderr: 'neurozoo: Empty input: give at least one word to tag.' });
  });

  it('the tagger has no generate hook and no pictures', async () => {
    const r = await cli('generate', out, '--prompt', 'The');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^neurozoo: 'bilstm-tagger' does not generate sequences\. Architectures that do: .*char-lstm/);
  });
});

describe('neurozoo train char-lstm (brown slice), then generate', () => {
  const out = tmp('nz-cli-charlstm-');
  beforeAll(async () => {
    const r = await cli('train', 'char-lstm', '--limit', '128', '--epochs', '1', '--batch-size', '32', '--out', out, '--quiet');
    if (r.code !== 0) throw new Error(r.stderr);
  }, 600_000);

  it('writes step.onnx and reports bits per character in both runtimes', () => {
    const report = readReport(out);
    expect(report).toMatchObject({ arch: 'char-lstm', dataset: 'brown', limit: 128 });
    expect(report.metrics.onnxruntime).toMatchObject({ tokenAgreementWithTfjs: 1, provider: 'cpu' });
    expect((report.metrics.onnxruntime as Record<string, number>).stepGraphMaxAbsError).toBeLessThan(1e-5);
    expect(report.files.extra).toEqual([join(out, 'step.onnx'), join(out, 'vocab.json')]);
  });

  it('generate continues the prompt; the same seed gives the same text', async () => {
    const args = ['generate', out, '--prompt', 'The jury', '--max-tokens', '30', '--temperature', '0.9', '--seed', '3'];
    const a = await cli(...args);
    expect(a.code).toBe(0);
    const lines = a.stdout.split('\n');
    const stats = lines.pop();
    const text = lines.join('\n'); // generated text may hold paragraph breaks
    expect(text.startsWith('The jury')).toBe(true);
    expect([...text]).toHaveLength(38);
    expect(stats).toMatch(/^\(30 tokens, [0-9.]+ tokens\/s on cpu\)$/);
    const again = (await cli(...args)).stdout;
    expect(again.slice(0, again.lastIndexOf('\n'))).toBe(text);
  });

  it('generate: a character outside the vocabulary exits 1 with the exact message; predict is not offered', async () => {
    const r = await cli('generate', out, '--prompt', 'naïve');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'neurozoo: The prompt has character(s) outside the vocabulary: "ï". Known: "\\n !\\"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"',
    );
    const p = await cli('predict', out, 'the');
    const predictive = architectures.filter((a) => a.predict).map((a) => a.name);
    expect(predictive.slice(0, 2)).toEqual(['seq2seq', 'bilstm-tagger']); // then other families' (e.g. transformer G2P)
    expect(p).toMatchObject({ code: 2, stderr: `neurozoo: 'char-lstm' does not predict from text inputs. Architectures that do: ${predictive.join(', ')}` });
  });
});

describe('rnn architectures: usage errors', () => {
  it('an architecture with a data set it does not train on lists the ones it does', async () => {
    for (const [arch, dataset, valid] of [['seq2seq', 'brown', 'cmudict'], ['bilstm-tagger', 'brown', 'brown-pos'], ['char-lstm', 'cmudict', 'brown'], ['lstm', 'cmudict', 'mnist, fashion-mnist']]) {
      const r = await cli('train', arch, '--dataset', dataset);
      expect(r).toMatchObject({ code: 2, stderr: `neurozoo: Unknown dataset '${dataset}'. Valid datasets: ${valid}` });
    }
  });

  it('--limit must be a positive integer', async () => {
    expect(await cli('train', 'seq2seq', '--limit', '0')).toMatchObject({ code: 2, stderr: "neurozoo: --limit expects an integer >= 1, got '0'" });
  });

  it('seq2seq --resume picks up its epoch checkpoints: resuming a finished run trains nothing and scores the same', async () => {
    const out = tmp();
    const args = ['train', 'seq2seq', '--limit', '40', '--epochs', '2', '--quiet', '--out', out];
    expect((await cli(...args)).code).toBe(0);
    const first = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const decoder = readFileSync(join(out, 'decoder-step.onnx'));
    expect((await cli(...args, '--resume')).code).toBe(0);
    const again = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(again.metrics.test).toEqual(first.metrics.test);
    expect(again.samplesPerSecond).toBe(0); // no epoch left to train
    expect(readFileSync(join(out, 'decoder-step.onnx'))).toEqual(decoder);
  });
});
