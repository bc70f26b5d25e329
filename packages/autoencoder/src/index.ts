/**
 * @neurozoo/autoencoder: undercomplete (the seed's three-layer net), deep, denoising, sparse
 * and convolutional autoencoders with encoder and decoder sharing the full model's weights;
 * reconstruction training with early stopping; a PCA baseline; ONNX export of the encoder,
 * decoder and full graph. Deploy with `@neurozoo/autoencoder/runtime`.
 * @packageDocumentation
 */
import { registerConverters } from '@neurozoo/core';
import { AUTOENCODER_CONVERTERS } from './layers/index.js';

// Module code, not a side-effect import ("sideEffects" in package.json lists this file).
registerConverters(AUTOENCODER_CONVERTERS);

export { ActivityL1, type ActivityL1Config, AUTOENCODER_CONVERTERS } from './layers/index.js';
export {
  type Activation, type AutoencoderModels, type ConvAutoencoderConfig, type DenseAutoencoderConfig, type Regularisers,
  convAutoencoder, denseAutoencoder, undercompleteAutoencoder, deepAutoencoder, denoisingAutoencoder, sparseAutoencoder, splitAutoencoder,
} from './builders/index.js';
export {
  Autoencoder, type AutoencoderFitOptions, type AutoencoderOnnx, type AutoencoderOptions, type ReconstructionLoss, sumSquaredErrors,
} from './autoencoder.js';
export { PCA, type PcaOptions, symmetricEigen } from './pca.js';
export { chooseThreshold, rocAuc } from './metrics.js';
export { codeScatter, inspectAutoencoder, reconstructionGrid } from './inspect.js';
export {
  architectures, autoencoderArchitecture, convAutoencoderArchitecture, deepAutoencoderArchitecture, denoisingAutoencoderArchitecture,
} from './architectures.js';
export { benchAutoencoder, type BenchAutoencoderOptions, type BenchAutoencoderResult } from './bench.js';
