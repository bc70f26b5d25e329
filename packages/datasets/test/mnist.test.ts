import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetError, FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, loadFashionMnist, loadMnist, parseIdx, readIdx, validateDataset } from '../src/index.js';
import { mnistDataDir } from '../src/mnist.js';

/** Label `i` of an IDX label file, read straight from the bytes (header is 8 bytes). */
const rawLabel = (bytes: Uint8Array, i: number) => bytes[8 + i];

function classCounts(y: Int32Array, k: number): number[] {
  const counts = new Array(k).fill(0);
  for (const v of y) counts[v]++;
  return counts;
}

describe('loadMnist', () => {
  const { train, test } = loadMnist();

  it('has 60000 train and 10000 test images of [28, 28, 1]', () => {
    expect(train.xShape).toEqual([60000, 28, 28, 1]);
    expect(test.xShape).toEqual([10000, 28, 28, 1]);
    expect(train.x.length).toBe(60000 * 784);
    expect(train.y.length).toBe(60000);
    expect(test.y.length).toBe(10000);
    expect(train.numClasses).toBe(10);
    expect(train.classNames?.[3]).toBe('3');
  });

  it('has labels 0..9 with every class present, and pixels in [0, 1]', () => {
    for (const ds of [train, test]) {
      expect(classCounts(ds.y, 10).every((c) => c > 0)).toBe(true);
      let min = Infinity;
      let max = -Infinity;
      for (const v of ds.x) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect(min).toBe(0);
      expect(max).toBe(1);
      validateDataset(ds);
    }
  });

  it('first labels are 5 (train) and 7 (test), as in an independent read of the files', () => {
    const dir = mnistDataDir() as string;
    expect(train.y[0]).toBe(5);
    expect(test.y[0]).toBe(7);
    expect(train.y[0]).toBe(rawLabel(readFileSync(join(dir, 'train-labels-idx1-ubyte')), 0));
    expect(train.y[59999]).toBe(rawLabel(readFileSync(join(dir, 'train-labels-idx1-ubyte')), 59999));
    const images = readFileSync(join(dir, 'train-images-idx3-ubyte'));
    expect(train.x[784 + 300]).toBeCloseTo(images[16 + 784 + 300] / 255, 7);
  });

  it('is cached: a second call returns the same arrays', () => {
    expect(loadMnist().train.x).toBe(train.x);
  });
});

// Needs Debian's dataset-fashion-mnist (scripts/system-deps.sh installs it); absent, the loader's error says how.
describe('loadFashionMnist', () => {
  it('has 60000/10000 images; the first train label is 9, Ankle boot', () => {
    const { train, test } = loadFashionMnist();
    expect(train.xShape).toEqual([60000, 28, 28, 1]);
    expect(test.xShape).toEqual([10000, 28, 28, 1]);
    expect(train.y[0]).toBe(9);
    expect(train.classNames?.[train.y[0]]).toBe('Ankle boot');
    expect(train.classNames).toEqual([...FASHION_MNIST_CLASSES]);
    expect(FASHION_MNIST_CLASSES).toHaveLength(10);
    expect(train.y[0]).toBe(rawLabel(gunzipSync(readFileSync(join(FASHION_MNIST_DIR, 'train-labels-idx1-ubyte.gz'))), 0));
    expect(classCounts(train.y, 10)).toEqual(new Array(10).fill(6000));
    expect(classCounts(test.y, 10)).toEqual(new Array(10).fill(1000));
  });
});

describe('missing or corrupt files', () => {
  it('Fashion-MNIST in an empty dir says how to install it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurozoo-fashion-'));
    const err = (() => {
      try {
        loadFashionMnist({ dir });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).code).toBe('E_DATA');
    expect((err as Error).message).toBe(
      `Fashion-MNIST not found in ${dir} (missing train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, ` +
        't10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz): install it with `apt-get install -y dataset-fashion-mnist` ' +
        'or pass { dir } pointing at its *-ubyte.gz files',
    );
  });

  it('loads a tiny IDX set from a custom dir (plain and gzipped files)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurozoo-idx-'));
    const idx = (rank: number, dims: number[], data: number[]) => {
      const head = Buffer.alloc(4 + 4 * rank);
      head[2] = 8;
      head[3] = rank;
      for (const [i, d] of dims.entries()) head.writeUInt32BE(d, 4 + 4 * i);
      return Buffer.concat([head, Buffer.from(data)]);
    };
    for (const p of ['train', 't10k']) {
      writeFileSync(join(dir, `${p}-images-idx3-ubyte.gz`), gzipSync(idx(3, [2, 1, 2], [0, 255, 51, 102])));
      writeFileSync(join(dir, `${p}-labels-idx1-ubyte`), idx(1, [2], [9, 0]));
    }
    const images = readIdx(join(dir, 'train-images-idx3-ubyte.gz'));
    expect([images.dims, Array.from(images.data)]).toEqual([[2, 1, 2], [0, 255, 51, 102]]);
    expect(Array.from(readIdx(join(dir, 't10k-labels-idx1-ubyte')).data)).toEqual([9, 0]);
    const { train } = loadFashionMnist({ dir });
    expect(train.xShape).toEqual([2, 1, 2, 1]);
    expect(Array.from(train.x)).toEqual([0, 1, 0.2, 0.4].map(Math.fround));
    expect(Array.from(train.y)).toEqual([9, 0]);
  });

  it('parseIdx rejects bad magic and wrong sizes', () => {
    expect(() => parseIdx(Uint8Array.from([1, 2, 3, 4]))).toThrow('IDX data is not an IDX file: it does not start with two zero bytes');
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 3, 1, 2]))).toThrow(
      'IDX data should hold 11 bytes for dims [3] but has 10',
    );
  });
});
