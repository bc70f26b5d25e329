import { describe, expect, it } from 'vitest';
import { DATASET_NAMES, DatasetError, FASHION_MNIST_INSTALL, listDatasets, loadDataset } from '../src/index.js';

describe('registry', () => {
  it('lists mnist, fashion-mnist and iris with availability', () => {
    const list = listDatasets();
    expect(list.map((d) => d.name)).toEqual(['mnist', 'fashion-mnist', 'iris', 'brown', 'brown-pos', 'cmudict']);
    expect(DATASET_NAMES).toEqual(list.map((d) => d.name));
    expect(list.find((d) => d.name === 'mnist')?.available).toBe(true);
    expect(list.find((d) => d.name === 'iris')?.available).toBe(true);
    const fashion = list.find((d) => d.name === 'fashion-mnist');
    expect(fashion?.available).toBe(true); // scripts/system-deps.sh installs it
    expect(fashion?.installHint).toBeUndefined(); // a hint only for what is missing
    expect(FASHION_MNIST_INSTALL).toBe('apt-get install -y dataset-fashion-mnist');
    for (const d of list) expect(d.description.length).toBeGreaterThan(10);
  });

  it('loads iris as a stratified 120/30 split', () => {
    const { train, test } = loadDataset('iris');
    expect(train.xShape).toEqual([120, 4]);
    expect(test.xShape).toEqual([30, 4]);
  });

  it('rejects unknown names listing the valid ones', () => {
    let err: unknown;
    try {
      loadDataset('cifar10');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).code).toBe('E_OPTION');
    expect((err as Error).message).toBe("Unknown dataset 'cifar10': valid names are 'mnist', 'fashion-mnist', 'iris', 'brown', 'brown-pos', 'cmudict'");
  });
});
