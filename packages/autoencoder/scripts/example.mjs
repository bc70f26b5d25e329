// The README's example, runnable as it is: node scripts/example.mjs (after building the package).
import { initBackend } from '@neurozoo/core';
import { loadFashionMnist, loadMnist } from '@neurozoo/datasets';
import { Autoencoder, PCA, rocAuc, undercompleteAutoencoder } from '@neurozoo/autoencoder';
import { OnnxAutoencoder } from '@neurozoo/autoencoder/runtime';

await initBackend();
const { train, test } = loadMnist();                          // [n, 28, 28, 1] in [0, 1]; dense models read it flat
const x = train.x.subarray(0, 12_000 * 784);
const ae = new Autoencoder(undercompleteAutoencoder({ inputSize: 784, code: 32 }), { loss: 'bce', learningRate: 3e-3 });
await ae.fit(x, { epochs: 3, batchSize: 32, validationSplit: 0.1, patience: 3 }); // early stopping on val_loss
const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
const xt = test.x.subarray(0, 1000 * 784);
const pca = PCA.fit(x, 784, 32);                              // the linear baseline, same code size
console.log(`SSE per image: autoencoder ${mean(ae.reconstructionErrors(xt)).toFixed(2)}, PCA ${mean(pca.reconstructionErrors(xt)).toFixed(2)}`);

const { encoder, decoder, autoencoder } = await ae.exportOnnx(); // three ONNX graphs
const deployed = await OnnxAutoencoder.load({ encoder, decoder, autoencoder }); // onnxruntime only
const codes = await deployed.encode(xt.subarray(0, 784));      // { data: Float32Array(32), dims: [1, 32] }
await deployed.calibrate(train.x.subarray(50_000 * 784, 51_000 * 784)); // threshold: 99th percentile on normal data
const fashion = loadFashionMnist().test.x.subarray(0, 1000 * 784);
const { anomalies } = await deployed.detect(fashion);
console.log(`code dims ${codes.dims}; flagged ${anomalies.reduce((s, v) => s + v, 0)} / 1000 Fashion-MNIST images;`,
  `ROC AUC ${rocAuc(await deployed.scores(xt), await deployed.scores(fashion)).toFixed(3)}`);
