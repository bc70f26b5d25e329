import { describe, expect, it } from 'vitest';
import { loadIris, validateDataset } from '../src/index.js';

describe('loadIris', () => {
  it('has 150 samples of 4 features and 50 per class', () => {
    const iris = loadIris();
    expect(iris.xShape).toEqual([150, 4]);
    expect(iris.x.length).toBe(600);
    expect(iris.numClasses).toBe(3);
    expect(iris.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    const counts = [0, 0, 0];
    for (const c of iris.y) counts[c]++;
    expect(counts).toEqual([50, 50, 50]);
    expect(Array.from(iris.x.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    validateDataset(iris);
  });
});
