import { initBackend, readCheckpoint } from '@neurozoo/core';
import { loadMnist } from '@neurozoo/datasets';
import { accuracyOf, sequenceClassifier } from '@neurozoo/rnn';
await initBackend({ backend: 'wasm' });
const s = await readCheckpoint(process.argv[2]);
const model = sequenceClassifier({ steps: 28, features: 28, classes: 10, units: [128], flatInput: true });
model.setWeights(s.modelWeights);
const { test } = loadMnist();
console.log(JSON.stringify({ epoch: s.epoch, history: s.meta.history, testAccuracy: accuracyOf(model, test) }));
