/** The README's quick start (examples/quickstart/index.mjs) runs as a user would run it, on a quick budget. */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

it('examples/quickstart trains, exports and classifies with onnxruntime-node', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['examples/quickstart/index.mjs'], {
    cwd: root,
    env: { ...process.env, QUICKSTART_EPOCHS: '1', QUICKSTART_LIMIT: '2000' },
  });
  console.log(stdout);
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(2);
  const accuracy = Number(lines[0].match(/^tfjs test accuracy (0\.\d+)$/)?.[1]);
  expect(accuracy).toBeGreaterThan(0.7); // measured 0.773 (1 epoch on 2000 images; the full 5-epoch run reaches ~0.98)
  expect(lines[1]).toMatch(/^first test digit: \d \(label 7\), run on cpu$/);
}, 120_000);
