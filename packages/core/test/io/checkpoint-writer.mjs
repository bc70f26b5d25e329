// Child process for checkpoint.test.ts: writes checkpoints in a loop until it is killed.
// Every value in checkpoint N equals N, so a reader can tell a mixed or partial file.
import * as core from '../../dist/index.js';

const [dir] = process.argv.slice(2);
const { tf } = core;
for (let epoch = 1; epoch < 100000; epoch++) {
  const weights = [tf.fill([512, 1024], epoch), tf.fill([1024], epoch)];
  await core.saveCheckpoint(dir, { epoch, modelWeights: weights, optimizerWeights: [], meta: { epoch } });
  tf.dispose(weights);
  if (epoch === 1) process.stdout.write('first\n');
}
