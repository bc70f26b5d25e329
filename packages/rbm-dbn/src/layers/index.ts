/**
 * The rbm-dbn layers and their ONNX converters, collected in one record the package index
 * registers with core's registry.
 */
import type { LayerConverter } from '@neurozoo/core';
import { converters as rbmHidden } from './rbm-hidden.onnx.js';

export { RbmHidden, type RbmHiddenConfig } from './rbm-hidden.js';

/** The converters of every rbm-dbn layer, by tfjs class. */
export const RBM_DBN_CONVERTERS: Readonly<Record<string, LayerConverter>> = { ...rbmHidden };
