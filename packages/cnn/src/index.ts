/**
 * @neurozoo/cnn: convolutional networks. The seed's convolution made visible (`convolve2d`),
 * CNN builders (`cnn`, LeNet-5, a small modern MNIST net), training with core's fit loop, ONNX
 * export with the image preprocessing in the metadata (tfjs's conv/pool layers convert with
 * core's converters), and pictures of kernels and feature maps. Deploy with
 * `@neurozoo/cnn/runtime`.
 * @packageDocumentation
 */
export { convolve2d, type Matrix } from './convolve.js';
export { type CnnConfig, type PoolConfig, type StageConfig, type StageShapes, multiplyingStages, validateConfig, windowOutput } from './builders/index.js';
export { cnn, lenet5, lenet5Config, mnistNet, mnistNetConfig, type PresetOptions } from './builders/index.js';
export { accuracy, type Images, predictClasses, trainClassifier, type TrainClassifierOptions } from './train.js';
export { type ExportCnnOptions, exportCnnOnnx, PREPROCESSING_KEY, type Preprocessing, preprocessingFor } from './export.js';
export { inspectCnn } from './inspect.js';
export { architectures, cnnArchitecture, imageShape, lenet5Architecture } from './architectures.js';
export { benchCnn, type BenchCnnOptions, type BenchCnnResult, benchCnnInference, type InferenceBench } from './bench.js';
