/** ONNX converter of the ActivityL1 layer (./activity-l1.ts): the identity at inference, so no node at all. */
import type { LayerConverter } from '@neurozoo/core';

/** This file's converters by tfjs layer class. */
export const converters: Readonly<Record<string, LayerConverter>> = {
  ActivityL1: (_layer, ctx) => ctx.inputs[0],
};
