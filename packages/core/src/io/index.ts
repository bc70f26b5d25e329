export { writeFileAtomic } from './atomic.js';
export { saveModel, loadModel } from './model-io.js';
export { saveCheckpoint, readCheckpoint, loadLatestCheckpoint, type CheckpointState } from './checkpoint.js';
