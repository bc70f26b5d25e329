/**
 * Core's converters, one file per layer group. They are plain tables (no registration on
 * import): the package declares `"sideEffects": false`, so bundlers drop modules imported only
 * for their side effects. The registry adds this table on first use.
 */
import type { LayerConverter } from '../registry.js';
import * as activations from './activations.js';
import * as dense from './dense.js';
import * as dropout from './dropout.js';
import * as embedding from './embedding.js';
import * as merge from './merge.js';
import * as normalization from './normalization.js';
import * as reshape from './reshape.js';

/** Every core converter by tfjs layer class. */
export const CORE_CONVERTERS: ReadonlyMap<string, LayerConverter> = new Map([
  ...activations.converters,
  ...dense.converters,
  ...dropout.converters,
  ...embedding.converters,
  ...merge.converters,
  ...normalization.converters,
  ...reshape.converters,
]);
