import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packages = fileURLToPath(new URL('../../', import.meta.url));

/** pnpm itself (it rewrites workspace: ranges when packing): the running one when pnpm started us. */
const pnpm = (args: string[], cwd: string) => {
  const execPath = process.env.npm_execpath ?? '';
  if (!/pnpm/.test(execPath)) return execFileSync('pnpm', args, { cwd, encoding: 'utf8' });
  // pnpm 12 is a native executable; older ones are a JS file run by node.
  return /\.[cm]?js$/.test(execPath)
    ? execFileSync(process.execPath, [execPath, ...args], { cwd, encoding: 'utf8' })
    : execFileSync(execPath, args, { cwd, encoding: 'utf8' });
};

// What a user does: install only this family (core comes with it) into an empty project.
const USER_SCRIPT = `
import { initBackend } from '@neurozoo/core';
import { MLPClassifier } from '@neurozoo/perceptron';
import { OnnxClassifier } from '@neurozoo/perceptron/runtime';
await initBackend();
const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [0, 1, 1, 0];
const clf = new MLPClassifier({ inputSize: 2, hidden: [8], classes: 2, activation: 'tanh', learningRate: 0.05, seed: 2 });
await clf.fit(x, y, { epochs: 300, batchSize: 4, seed: 2 });
const onnx = await clf.exportOnnx();
const deployed = await OnnxClassifier.load(onnx);
const { classes, provider } = await deployed.classify(Float32Array.from(x.flat()), 4);
console.log(JSON.stringify({ tfjs: Array.from(clf.predict(x)), onnx: Array.from(classes), provider, bytes: onnx.length }));
`;

describe('packed tarballs', () => {
  it('installing only @neurozoo/perceptron (+ core) into an empty project trains, exports and deploys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nz-install-'));
    for (const pkg of ['core', 'perceptron']) pnpm(['pack', '--pack-destination', dir], join(packages, pkg));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
    writeFileSync(join(dir, 'train.mjs'), USER_SCRIPT);
    // onnxruntime-node's postinstall downloads CUDA libraries; offline machines skip it (see README).
    execFileSync('npm', ['install', '--no-audit', '--no-fund', './neurozoo-core-0.1.0.tgz', './neurozoo-perceptron-0.1.0.tgz'], {
      cwd: dir,
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
      stdio: 'pipe',
    });
    const installed = JSON.parse(execFileSync('npm', ['ls', '--json', '--depth=0'], { cwd: dir, encoding: 'utf8' }));
    expect(Object.keys(installed.dependencies).sort()).toEqual(['@neurozoo/core', '@neurozoo/perceptron']);
    const result = JSON.parse(execFileSync(process.execPath, ['train.mjs'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').at(-1)!);
    expect(result.tfjs).toEqual([0, 1, 1, 0]);
    expect(result.onnx).toEqual([0, 1, 1, 0]);
    expect(result.provider).toBe('cpu');
    expect(result.bytes).toBeGreaterThan(100);
  }, 600_000);
});
