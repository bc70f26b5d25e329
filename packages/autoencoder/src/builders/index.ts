/** The autoencoder builders: dense (undercomplete, deep, denoising, sparse; ./dense.ts) and convolutional (./conv.ts). */
export {
  type Activation, type AutoencoderModels, type DenseAutoencoderConfig, type Regularisers,
  deepAutoencoder, denoisingAutoencoder, denseAutoencoder, sparseAutoencoder, splitAutoencoder, undercompleteAutoencoder,
} from './dense.js';
export { convAutoencoder, type ConvAutoencoderConfig } from './conv.js';
