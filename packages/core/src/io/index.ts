export { writeFileAtomic } from './atomic.js';
export { type RgbaImage, type TileGridOptions, tileGrid } from './tiles.js';
export { saveModel, loadModel } from './model-io.js';
export {
  type CheckpointState,
  loadLatestCheckpoint,
  readCheckpoint,
  restoreTrainingState,
  saveCheckpoint,
  saveTrainingState,
  variableWeights,
  type WeightHolder,
} from './checkpoint.js';
