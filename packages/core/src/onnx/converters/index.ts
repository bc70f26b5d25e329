/**
 * Core's converters, one file per layer group. They are plain tables (no registration on
 * import): the package declares `"sideEffects": false`, so bundlers drop modules imported only
 * for their side effects. The registry adds this table on first use.
 */
import type { LayerConverter } from '../registry.js';
import * as activations from './activations.js';
import * as conv from './conv.js';
import { convFollowers } from './conv-followers.js';
import * as dense from './dense.js';
import * as dropout from './dropout.js';
import * as embedding from './embedding.js';
import * as merge from './merge.js';
import * as normalization from './normalization.js';
import * as pooling from './pooling.js';
import * as recurrent from './recurrent.js';
import * as reshape from './reshape.js';
import * as shape2d from './shape2d.js';

/** The converters of single layers, each on its own. */
const PLAIN: ReadonlyMap<string, LayerConverter> = new Map([
  ...activations.converters,
  ...conv.converters,
  ...dense.converters,
  ...dropout.converters,
  ...embedding.converters,
  ...merge.converters,
  ...normalization.converters,
  ...pooling.converters,
  ...recurrent.converters,
  ...reshape.converters,
  ...shape2d.converters,
]);

/**
 * Every core converter by tfjs layer class. The layers that can follow a convolution
 * (BatchNormalization, element-wise activations, merges) are wrapped so a conv chain stays
 * channel-first (NCHW) between them; on other inputs they convert as the plain converter.
 */
export const CORE_CONVERTERS: ReadonlyMap<string, LayerConverter> = new Map([...PLAIN, ...convFollowers(PLAIN)]);
