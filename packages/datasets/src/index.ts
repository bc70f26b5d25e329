/**
 * @neurozoo/datasets: MNIST, Fashion-MNIST, Iris, Brown (text and POS tags) and CMUdict as plain typed arrays with shapes, plus
 * seeded splits and small transforms. No tensor library: each family converts with its own.
 */

export { DatasetError, type DatasetErrorCode } from './errors.js';
export { type IdxArray, parseIdx, readIdx } from './idx.js';
export { BROWN_VOCABULARY, type BrownOptions, brownDir, brownText, encodeBrown, loadBrown, untagBrown } from './brown.js';
export {
  BROWN_UNIVERSAL_TAGS,
  type BrownPosOptions,
  type BrownTaggedSplit,
  loadBrownPos,
  loadBrownTagged,
  parseTaggedBrown,
  type TaggedSentence,
  type UniversalTag,
  universalTag,
} from './brown-tagged.js';
export { loadIris } from './iris.js';
export {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_DIR,
  FASHION_MNIST_INSTALL,
  loadFashionMnist,
  loadMnist,
} from './mnist.js';
export { DATASET_NAMES, type LoadDatasetOptions, listDatasets, loadDataset } from './registry.js';
export { mulberry32, permutation, type SplitOptions, seededSplit, shuffle } from './split.js';
export {
  applyNormalize,
  count,
  featureSize,
  fitNormalize,
  flatten,
  type NormalizeStats,
  normalize,
  oneHot,
  subset,
  take,
  targetsPerSample,
  validateDataset,
} from './transforms.js';
export type { Dataset, DatasetInfo, DatasetName, Split, ValidationSplit } from './types.js';
export {
  type CmudictOptions,
  type G2PPair,
  type G2PSplit,
  loadCmudict,
  loadCmudictDataset,
} from './cmudict.js';
