/**
 * @neurozoo/rbm-dbn: restricted Boltzmann machines (Bernoulli and Gaussian visible units, CD-k
 * and PCD with momentum, weight decay and sparsity, monitored by reconstruction error,
 * pseudo-log-likelihood and the free-energy gap) and deep belief networks (greedy layer-wise
 * pretraining, backprop fine-tuning, generation). ONNX export of transforms, classifiers and a
 * Gibbs-step graph fed its noise. Deploy with `@neurozoo/rbm-dbn/runtime`.
 * @packageDocumentation
 */
import { registerConverters } from '@neurozoo/core';
import { RBM_DBN_CONVERTERS } from './layers/index.js';

// Module code, not a side-effect import ("sideEffects" in package.json lists this file).
registerConverters(RBM_DBN_CONVERTERS);

export { RBM_DBN_CONVERTERS };
export { RBM, type RbmConfig, type VisibleType, type GibbsStep, type Rows } from './rbm.js';
export { normalNoise, uniformNoise } from './noise.js';
export { RbmHidden, type RbmHiddenConfig } from './layers/index.js';
export { fitRbm, formatLog, monitor, type RbmFitOptions, type RbmFitResult, type RbmEpochLog, type RbmMonitors } from './train.js';
export { DBN, type DbnConfig, type DbnPretrainOptions, type FineTuneOptions, fineTune, plainClassifier, accuracy, topDown, transformRows } from './dbn.js';
export { rbmClassifier, type LogisticOptions } from './classifier.js';
export { exportGibbsStep, exportDbnSampler, exportRbmTransform, exportDbnFeatures, type GibbsExportOptions } from './export.js';
export { inspectRbm, filterTiles, rowTiles } from './inspect.js';
export { benchRbm, type BenchRbmOptions, type BenchRbmResult, type PeerResult } from './bench.js';
export { architectures, rbmArchitecture, dbnArchitecture } from './architectures.js';
