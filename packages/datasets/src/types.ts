/** The common data set types: plain typed arrays and shapes, no tensor library. */

/** A labelled data set: `x` holds `xShape[0]` samples in row-major order, `y` one class id each. */
export interface Dataset {
  name: string;
  /** Features, row-major; shared with the loader's cache, so treat it as read-only. */
  x: Float32Array;
  /** `[n, ...]`, e.g. `[60000, 28, 28, 1]` for MNIST or `[150, 4]` for Iris. */
  xShape: number[];
  /** Class ids in `0 .. numClasses - 1`: one per sample, or `yShape` of them (sequence targets). */
  y: Int32Array;
  /** Shape of `y` when samples have several targets (e.g. [n, T] next-character ids); absent otherwise. */
  yShape?: number[];
  numClasses: number;
  /** Human-readable name of each class id, where known. */
  classNames?: string[];
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
