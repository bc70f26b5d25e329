/**
 * Layer normalisation over the last axis as a registered layer, for the final norms of the
 * transformer models. tfjs-layers' own LayerNormalization tiles gamma, beta, the mean and the
 * variance to the input's shape before `batchNorm`, and Tile's gradient is one Slice + Add per
 * repetition: for a [64, 9, 64] input that is ~600 tiny kernels per norm per step (measured: a
 * third of a G2P training step on wasm). This layer broadcasts instead, like the blocks' norms.
 */
import { tf } from '@neurozoo/core';
import { layerNorm } from './ops.js';

type Shape = Array<number | null>;
type AddWeight = (name: string, shape: number[], dtype?: 'float32', init?: ReturnType<typeof tf.initializers.zeros>) => tf.LayerVariable;

/** x [..., d] -> (x - mean) / sqrt(var + epsilon) * gamma + beta over the last axis (ONNX LayerNormalization-17). */
export class LayerNorm extends tf.layers.Layer {
  static className = 'TransformerLayerNorm';
  readonly epsilon: number;
  gamma!: tf.LayerVariable;
  beta!: tf.LayerVariable;

  constructor(args: { epsilon?: number; name?: string; trainable?: boolean } = {}) {
    super({ name: args.name, trainable: args.trainable });
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: Shape | Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const width = s[s.length - 1] as number;
    const add = (this as unknown as { addWeight: AddWeight }).addWeight.bind(this);
    this.gamma = add('gamma', [width], 'float32', tf.initializers.ones());
    this.beta = add('beta', [width], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => layerNorm(x, this.gamma, this.beta, this.epsilon));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { epsilon: this.epsilon, ...super.getConfig() };
  }
}
tf.serialization.registerClass(LayerNorm);
