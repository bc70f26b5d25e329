/** The common data set types: plain typed arrays and shapes, no tensor library. */
import type { TrainingData } from '@neurozoo/core';

/**
 * A labelled data set: `x` holds `xShape[0]` samples in row-major order, `y` one class id each
 * (or `yShape` of them). Its fields are core's {@link TrainingData}, the split an architecture
 * trains on (a type-only import: datasets needs no core at run time), plus where the data came
 * from. `x` is shared with the loader's cache, so treat it as read-only.
 */
export interface Dataset extends TrainingData {
  /**
   * For token-id inputs: the name of each id in `x` (e.g. the letters of `cmudict`, the word
   * forms of `brown-pos`; id 0 is `'<pad>'`). Absent for numeric features.
   */
  inputNames?: string[];
  /** Where the data came from (file paths or package name). */
  source: string;
}

/** A train/test split. */
export interface Split {
  train: Dataset;
  test: Dataset;
}

/** A train/validation split. */
export interface ValidationSplit {
  train: Dataset;
  validation: Dataset;
}

/** The data sets {@link loadDataset} knows. */
export type DatasetName = 'mnist' | 'fashion-mnist' | 'iris' | 'brown' | 'brown-pos' | 'cmudict';

/** One entry of {@link listDatasets}. */
export interface DatasetInfo {
  name: DatasetName;
  description: string;
  source: string;
  available: boolean;
  /** How to install the data when `available` is false. */
  installHint?: string;
}
