import { loadMnist } from '@neurozoo/datasets';

let cached: ReturnType<typeof loadMnist> | undefined;

/** The first `nTrain` training and `nTest` test images of MNIST (pixels in [0, 1]). */
export function mnistSubset(nTrain = 2000, nTest = 1000) {
  cached ??= loadMnist();
  const { train, test } = cached;
  return {
    x: train.x.slice(0, nTrain * 784),
    y: train.y.slice(0, nTrain),
    testX: test.x.slice(0, nTest * 784),
    testY: test.y.slice(0, nTest),
    train,
    test,
  };
}
