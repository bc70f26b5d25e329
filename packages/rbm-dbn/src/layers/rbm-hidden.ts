/**
 * {@link RbmHidden}: an RBM's recognition pass `sigmoid(v W + c)` as a tfjs layer. It is a
 * Dense(sigmoid) that also carries the RBM's visible bias `b` (not trainable), so a saved
 * model still holds the whole RBM (W, b, c) and `neurozoo inspect` can run Gibbs chains from it.
 * Its ONNX converter (./rbm-hidden.onnx.ts) writes MatMul + Add + Sigmoid.
 */
import { tf } from '@neurozoo/core';

/** A tfjs-layers weight variable (what `addWeight` returns). */
export type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

/** Config of {@link RbmHidden}. */
export interface RbmHiddenConfig {
  /** Number of hidden units. */
  units: number;
  name?: string;
  trainable?: boolean;
  inputShape?: number[];
  /** 'bernoulli' (default) or 'gaussian': how the visible layer is sampled (stored in the config). */
  visibleType?: 'bernoulli' | 'gaussian';
  /** Initial [kernel, bias, visible_bias], set when the layer is built (tfjs-layers' `weights`). */
  weights?: tf.Tensor[];
}

/** Dense(sigmoid) with an extra non-trainable `visible_bias`; see the module comment. */
export class RbmHidden extends tf.layers.Layer {
  /** tfjs serialization name. */
  static className = 'RbmHidden';
  readonly units: number;
  readonly visibleType: 'bernoulli' | 'gaussian';
  kernel!: LayerVariable;
  bias!: LayerVariable;
  visibleBias!: LayerVariable;

  constructor(config: RbmHiddenConfig) {
    super(config);
    this.units = config.units;
    this.visibleType = config.visibleType ?? 'bernoulli';
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const nv = shape[shape.length - 1] as number;
    this.kernel = this.addWeight('kernel', [nv, this.units], 'float32', tf.initializers.randomNormal({ stddev: 0.01 }));
    this.bias = this.addWeight('bias', [this.units], 'float32', tf.initializers.zeros());
    this.visibleBias = this.addWeight('visible_bias', [nv], 'float32', tf.initializers.zeros(), undefined, false);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.sigmoid(tf.add(tf.matMul(x as tf.Tensor2D, this.kernel.read() as tf.Tensor2D), this.bias.read()));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, visibleType: this.visibleType };
  }
}

tf.serialization.registerClass(RbmHidden);
