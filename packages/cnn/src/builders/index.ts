/** The CNN builders: config checks and shapes (./config.ts), the `cnn` builder and its presets (./cnn.ts). */
export { type CnnConfig, multiplyingStages, type PoolConfig, type StageConfig, type StageShapes, validateConfig, windowOutput } from './config.js';
export { cnn, lenet5, lenet5Config, mnistNet, mnistNetConfig, type PresetOptions } from './cnn.js';
