// Train an MLP on MNIST in Node, export it to ONNX, classify with onnxruntime: the README's quick start.
// Run from the repository root after `npm run setup`: node examples/quickstart/index.mjs [epochs]
// Quick runs (CI runs it so): QUICKSTART_EPOCHS=1 QUICKSTART_LIMIT=2000 trains 1 epoch on the first 2000 images.
import { initBackend } from '@neurozoo/core';
import { loadMnist } from '@neurozoo/datasets';
import { MLPClassifier } from '@neurozoo/perceptron';
import { OnnxClassifier } from '@neurozoo/perceptron/runtime';

const epochs = Number(process.argv[2] ?? process.env.QUICKSTART_EPOCHS ?? 5);
const n = Number(process.env.QUICKSTART_LIMIT ?? 60000); // training images used (of 60k)

await initBackend(); // native C++ kernels where built, else tfjs's wasm backend
const { train, test } = loadMnist(); // real 60k/10k, pixels in [0, 1]
const clf = new MLPClassifier({ inputSize: 784, hidden: [256, 128], classes: 10, dropout: 0.2 });
await clf.fit({ x: train.x.subarray(0, n * 784), shape: [n, 784] }, train.y.subarray(0, n), { epochs, batchSize: 128 });
console.log('tfjs test accuracy', clf.evaluate({ x: test.x, shape: [10000, 784] }, test.y).accuracy);
const onnx = await clf.exportOnnx(); // ONNX ModelProto bytes, opset 17
const deployed = await OnnxClassifier.load(onnx); // onnxruntime-node, no tfjs
const { classes, provider } = await deployed.classify(test.x.subarray(0, 784));
console.log(`first test digit: ${classes[0]} (label ${test.y[0]}), run on ${provider}`);
