// The README's example, runnable as it is: node scripts/example.mjs
import { initBackend } from '@neurozoo/core';
import { loadMnist } from '@neurozoo/datasets';
import { RBM, exportGibbsStep, exportRbmTransform, rbmClassifier } from '@neurozoo/rbm-dbn';
import { OnnxClassifier, OnnxGibbsSampler } from '@neurozoo/rbm-dbn/runtime';
import { exportOnnx } from '@neurozoo/core';

await initBackend({ backend: 'wasm' });                  // wasm: fastest for RBMs here (see Benchmarks)
const { train, test } = loadMnist();
const n = 5000;                                            // a subset, to run in a minute or two
const x = train.x.subarray(0, n * 784);
const rbm = new RBM({ visible: 784, hidden: 128, seed: 0 });
const { history } = await rbm.fit(x, { epochs: 3, batchSize: 20, learningRate: 0.05, method: 'cd', k: 1, validation: test.x.subarray(0, 784000) });
console.log(history.map((h) => `epoch ${h.epoch}: recon ${h.reconstructionError.toFixed(4)}, PLL ${h.pseudoLogLikelihood.toFixed(1)}, F gap ${h.freeEnergyGap.toFixed(2)}`).join('\n'));

const features = rbm.transform(test.x.subarray(0, 784 * 4));           // p(h=1|v), [4, 128]
const samples = rbm.sample({ n: 4, steps: 100, seed: 1 });             // Gibbs chains from noise
console.log('features', features.shape, 'samples', samples.shape);

const transformOnnx = await exportRbmTransform(rbm);                   // MatMul + Add + Sigmoid
const gibbsOnnx = exportGibbsStep(rbm);                                // fed its noise: no RandomUniformLike
const sampler = await OnnxGibbsSampler.load(gibbsOnnx);                // onnxruntime only
const { images, provider } = await sampler.sample({ n: 4, steps: 100, seed: 1 });
console.log(`onnxruntime (${provider}) sampled ${images.length / 784} images; transform.onnx ${transformOnnx.length} bytes`);

const { model } = await rbmClassifier(rbm, x, train.y.subarray(0, n), 10, { epochs: 10 });
const deployed = await OnnxClassifier.load(await exportOnnx(model));
const { classes } = await deployed.classify(test.x.subarray(0, 784 * 1000), 1000);
const acc = classes.reduce((s, c, i) => s + (c === test.y[i] ? 1 : 0), 0) / 1000;
console.log(`RBM features + logistic regression in onnxruntime: ${(100 * acc).toFixed(1)}% on 1000 test digits`);
