/** writeFileAtomic leaves only the complete file; foldBatchNorm's scale and shift, by hand. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldBatchNorm, tf, writeFileAtomic } from '../../src/index.js';

describe('writeFileAtomic', () => {
  it('replaces the file with the new content and leaves no temporary file; a missing folder rejects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nz-atomic-'));
    const path = join(dir, 'report.json');
    writeFileSync(path, 'old');
    await writeFileAtomic(path, '{"ok":true}');
    await writeFileAtomic(join(dir, 'model.bin'), Uint8Array.from([1, 2, 3]));
    expect(readFileSync(path, 'utf8')).toBe('{"ok":true}');
    expect(Array.from(readFileSync(join(dir, 'model.bin')))).toEqual([1, 2, 3]);
    expect(readdirSync(dir).sort()).toEqual(['model.bin', 'report.json']);
    await expect(writeFileAtomic(join(dir, 'missing', 'x'), 'y')).rejects.toThrow(/ENOENT/);
  });
});

describe('foldBatchNorm', () => {
  it('scale = gamma / sqrt(var + eps), shift = beta - mean * scale; gamma 1 and beta 0 when not used', () => {
    const v = (values: number[]) => tf.tensor1d(values);
    const bn = { epsilon: 0, center: true, scale: true, gamma: v([2, 1]), beta: v([1, -1]), movingMean: v([3, 0]), movingVariance: v([4, 0.25]) };
    const folded = foldBatchNorm(bn);
    expect([Array.from(folded.scale), Array.from(folded.shift)]).toEqual([[1, 2], [-2, -1]]);
    const plain = foldBatchNorm({ ...bn, center: false, scale: false });
    expect([Array.from(plain.scale), Array.from(plain.shift)]).toEqual([[0.5, 2], [-1.5, 0]]);
    tf.dispose([bn.gamma, bn.beta, bn.movingMean, bn.movingVariance]);
  });
});
