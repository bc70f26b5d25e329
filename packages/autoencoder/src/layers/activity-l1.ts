/**
 * The sparse autoencoder's activity penalty as a layer. tfjs-layers 4.22 throws on
 * `activityRegularizer` ("not supported yet"), so {@link ActivityL1} is the identity in the
 * forward pass and adds the L1 penalty's gradient, `l1 * sign(a) / batch` (Keras' activity
 * L1 divided by the batch size), in the backward pass. It acts only while training and
 * exports to ONNX as no node at all (./activity-l1.onnx.ts).
 */
import { tf } from '@neurozoo/core';

/** Config of {@link ActivityL1}. */
export interface ActivityL1Config {
  /** Weight of the L1 penalty on the activations, per sample (e.g. 1e-4). */
  l1: number;
  name?: string;
}

/** Identity layer whose gradient adds an L1 activity penalty (sparse codes). */
export class ActivityL1 extends tf.layers.Layer {
  /** tfjs serialization name. */
  static className = 'ActivityL1';
  readonly l1: number;

  constructor(config: ActivityL1Config) {
    super(config);
    this.l1 = config.l1;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const l1 = this.l1;
    if (l1 === 0) return x.clone();
    const penalised = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const a = args[0] as tf.Tensor;
      (args[1] as tf.GradSaveFunc)([a]);
      return {
        value: a.clone(),
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.add(dy as tf.Tensor, tf.mul(tf.sign(saved[0]), l1 / saved[0].shape[0])),
      };
    });
    return penalised(x) as tf.Tensor;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), l1: this.l1 };
  }
}

tf.serialization.registerClass(ActivityL1);
