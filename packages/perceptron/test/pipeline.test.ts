/** pipeline('classify') over exported perceptron-family models: the same classes as the estimator, on held-out data. */
import { initBackend, TaskError } from '@neurozoo/core';
import { loadDataset } from '@neurozoo/datasets';
import { beforeAll, describe, expect, it } from 'vitest';
import { MLPClassifier, MLPRegressor } from '../src/index.js';
import { OnnxClassifier, pipeline } from '../src/runtime/index.js';

beforeAll(() => initBackend({ backend: 'wasm' }));

describe("pipeline('classify', ...) from @neurozoo/perceptron/runtime", () => {
  it('classifies held-out Iris flowers as the trained MLPClassifier and OnnxClassifier do', async () => {
    const { train, test } = loadDataset('iris');
    const clf = new MLPClassifier({ inputSize: 4, hidden: [16], classes: 3, learningRate: 0.02, seed: 4 });
    await clf.fit({ x: train.x, shape: [train.y.length, 4] }, train.y, { epochs: 150, batchSize: 16 });
    const n = test.y.length;
    const tfjs = Array.from(clf.predict({ x: test.x, shape: [n, 4] }));
    const bytes = await clf.exportOnnx();

    const classify = await pipeline('classify', bytes, { device: ['cuda', 'cpu'] });
    expect([classify.family, classify.handler, classify.device]).toEqual(['perceptron', 'OnnxClassifier', 'cpu']);
    expect(classify.fallbacks.map((f) => f.device)).toEqual(['cuda']);
    const rows = await classify(test.x);
    expect(rows.map((r) => r.classId)).toEqual(tfjs);
    // held-out accuracy of the same classes: measured 1.0 (30/30), chance 0.33
    expect(rows.filter((r, i) => r.classId === test.y[i]).length / n).toBeGreaterThan(0.9);

    const direct = await OnnxClassifier.load(bytes, { devices: ['cpu'] });
    const { probabilities } = await direct.classify(test.x, n);
    rows.forEach((r, i) => expect(Array.from(r.probabilities)).toEqual(Array.from(probabilities.subarray(3 * i, 3 * i + 3))));
    await direct.release();
    await classify.dispose();
  });

  it('a regressor is not a classifier: TaskError says which tasks the family runs on it', async () => {
    const reg = new MLPRegressor({ inputSize: 2, hidden: [4], outputs: 1 });
    const bytes = await reg.exportOnnx();
    await expect(pipeline('classify', bytes)).rejects.toThrow(
      new TaskError(
        'classify',
        `Cannot run task 'classify' on the model buffer (${bytes.length} bytes) (family 'perceptron'): '@neurozoo/perceptron/runtime' runs none of its tasks on this model.`,
      ),
    );
  });
});
