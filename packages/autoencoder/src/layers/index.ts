/**
 * The autoencoder layers and their ONNX converters, collected in one record the package index
 * registers with core's registry.
 */
import type { LayerConverter } from '@neurozoo/core';
import { converters as activityL1 } from './activity-l1.onnx.js';

export { ActivityL1, type ActivityL1Config } from './activity-l1.js';

/** The converters of every autoencoder layer, by tfjs class. */
export const AUTOENCODER_CONVERTERS: Readonly<Record<string, LayerConverter>> = { ...activityL1 };
