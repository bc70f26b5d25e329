import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError } from '../../src/errors.js';
import { loadLatestCheckpoint, loadModel, readCheckpoint, saveCheckpoint, saveModel } from '../../src/io/index.js';
import { tf } from '../../src/tf.js';
import { smallModel, useWasm } from '../helpers.js';

beforeAll(useWasm);
const tmp = () => mkdtempSync(join(tmpdir(), 'nz-io-'));

const state = (epoch: number) => ({
  epoch,
  modelWeights: [tf.fill([3, 4], epoch), tf.fill([4], -epoch)],
  optimizerWeights: [{ name: 'iter', tensor: tf.scalar(epoch * 10) }],
  meta: { note: `epoch ${epoch}` },
});

describe('checkpoints', () => {
  it('round-trips weights, optimizer slots and metadata, keeping the newest files', async () => {
    const dir = tmp();
    for (const e of [1, 2, 3]) await saveCheckpoint(dir, state(e), 2);
    expect(readdirSync(dir).sort()).toEqual(['epoch-0002.ckpt', 'epoch-0003.ckpt', 'latest.json']);
    const back = await loadLatestCheckpoint(dir);
    expect(back?.epoch).toBe(3);
    expect(Array.from(back!.modelWeights[1].dataSync())).toEqual([-3, -3, -3, -3]);
    expect(back!.modelWeights[0].shape).toEqual([3, 4]);
    expect(back!.optimizerWeights[0].name).toBe('iter');
    expect(back!.optimizerWeights[0].tensor.dataSync()[0]).toBe(30);
    expect(back!.meta).toEqual({ note: 'epoch 3' });
  });

  it('returns null where no checkpoint was written', async () => {
    expect(await loadLatestCheckpoint(tmp())).toBeNull();
  });

  it('detects a file cut short or damaged instead of loading it', async () => {
    const dir = tmp();
    const path = await saveCheckpoint(dir, state(1));
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 9));
    await expect(readCheckpoint(path)).rejects.toThrow(
      new CheckpointError(`Checkpoint ${path} is unusable: CRC-32 mismatch (the file was cut short or damaged)`),
    );
    writeFileSync(path, Buffer.from('{"not":"a checkpoint"}'));
    await expect(readCheckpoint(path)).rejects.toThrow(
      new CheckpointError(`Checkpoint ${path} is unusable: it does not start with the NZCK signature`),
    );
  });

  it('never replaces the last good checkpoint when the writer is killed mid-write', async () => {
    const writer = fileURLToPath(new URL('./checkpoint-writer.mjs', import.meta.url));
    for (const delayMs of [30, 110, 260]) {
      const dir = tmp();
      const child = spawn(process.execPath, [writer, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, delayMs));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const leftovers = readdirSync(dir).filter((f) => f.includes('.tmp-'));
      const latest = await loadLatestCheckpoint(dir);
      expect(latest).not.toBeNull();
      const epoch = latest!.epoch;
      expect(epoch).toBeGreaterThanOrEqual(1);
      expect(latest!.meta).toEqual({ epoch });
      expect(new Set(latest!.modelWeights[0].dataSync())).toEqual(new Set([epoch]));
      expect(existsSync(join(dir, `epoch-${String(epoch).padStart(4, '0')}.ckpt`))).toBe(true);
      // A kill in the middle of a write leaves at most a temporary file, which nothing reads.
      expect(leftovers.length).toBeLessThanOrEqual(1);
    }
  });
});

describe('saveModel / loadModel', () => {
  it('writes model.json + weights.bin that load back with identical predictions', async () => {
    const dir = tmp();
    const model = smallModel(5);
    await saveModel(model, dir);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const back = await loadModel(dir);
    const x = tf.randomNormal([4, 8], 0, 1, 'float32', 3);
    expect(Array.from((back.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
  });

  it('says what is wrong with a folder that holds no model', async () => {
    const dir = tmp();
    await expect(loadModel(dir)).rejects.toThrow(/^Cannot read a tfjs model from .*model\.json: ENOENT/);
  });
});
