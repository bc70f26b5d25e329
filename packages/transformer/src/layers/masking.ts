/**
 * Small layers around the blocks: a padding mask from token ids, masked mean and max pooling
 * for sequence classifiers, and the training-only token cross-entropy with label smoothing.
 */
import { tf } from '@neurozoo/core';
import { MASK_VALUE } from './ops.js';

type Shape = Array<number | null>;

/** ids [b, T] -> float mask [b, T]: 1 where id != padId (default 0), else 0. */
export class PaddingMask extends tf.layers.Layer {
  static className = 'PaddingMask';
  readonly padId: number;

  constructor(args: { padId?: number; name?: string } = {}) {
    super({ name: args.name });
    this.padId = args.padId ?? 0;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const ids = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.notEqual(ids.toFloat(), this.padId).toFloat());
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { padId: this.padId, ...super.getConfig() };
  }
}

/** [x [b, T, d], mask [b, T]] -> [b, d]: a pooling over the unmasked positions (over all of them for x alone). */
abstract class MaskedPooling extends tf.layers.Layer {
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [s[0], s[2]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [x, mask] = Array.isArray(inputs) ? inputs : [inputs];
    return tf.tidy(() => this.pool(x, mask));
  }

  protected abstract pool(x: tf.Tensor, mask: tf.Tensor | undefined): tf.Tensor;
}

/** [x [b, T, d], mask [b, T]] -> mean of x over the unmasked positions [b, d] (plain mean for x alone). */
export class MaskedAveragePooling extends MaskedPooling {
  static className = 'MaskedAveragePooling';

  protected pool(x: tf.Tensor, mask: tf.Tensor | undefined): tf.Tensor {
    if (!mask) return x.mean(1);
    const m = mask.expandDims(-1);
    return x.mul(m).sum(1).div(m.sum(1).add(1e-9));
  }
}

/** [x [b, T, d], mask [b, T]] -> max of x over the unmasked positions [b, d] (plain max for x alone). */
export class MaskedMaxPooling extends MaskedPooling {
  static className = 'MaskedMaxPooling';

  protected pool(x: tf.Tensor, mask: tf.Tensor | undefined): tf.Tensor {
    return (mask ? x.add(tf.sub(1, mask).mul(MASK_VALUE).expandDims(-1)) : x).max(1);
  }
}

/** Options of {@link SequenceCrossEntropy}. */
export interface SequenceCrossEntropyArgs {
  /** Label smoothing ε: targets (1 - ε) one-hot + ε / vocab (default 0). */
  labelSmoothing?: number;
  /** Target id that contributes no loss (padding), or -1 for none (default). */
  ignoreId?: number;
  name?: string;
}

/**
 * Training-only: [logits [b, T, V], targets [b, T]] -> mean token cross-entropy per sequence [b, 1],
 * with label smoothing and an ignored (padding) id. A training model outputs this, and is compiled
 * with a loss that averages its output, so teacher forcing runs through core's `fit`.
 */
export class SequenceCrossEntropy extends tf.layers.Layer {
  static className = 'SequenceCrossEntropy';
  readonly labelSmoothing: number;
  readonly ignoreId: number;

  constructor(args: SequenceCrossEntropyArgs = {}) {
    super({ name: args.name });
    this.labelSmoothing = args.labelSmoothing ?? 0;
    this.ignoreId = args.ignoreId ?? -1;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [(inputShape[0] as Shape)[0], 1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [logits, targets] = inputs as tf.Tensor[];
    return tf.tidy(() => tokenCrossEntropy(logits, targets, this.labelSmoothing, this.ignoreId).mean(1, true));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { labelSmoothing: this.labelSmoothing, ignoreId: this.ignoreId, ...super.getConfig() };
  }
}

/**
 * Per-token cross-entropy [b, T] of logits [b, T, V] against integer targets [b, T], smoothed by
 * ε; tokens equal to `ignoreId` count 0 and the rest are rescaled so each row averages the real tokens.
 */
export function tokenCrossEntropy(logits: tf.Tensor, targets: tf.Tensor, smoothing = 0, ignoreId = -1): tf.Tensor {
  const vocab = logits.shape[2] as number;
  const logp = tf.logSoftmax(logits, -1);
  const ids = targets.toInt();
  const onehot = tf.oneHot(ids, vocab).toFloat();
  const target = smoothing > 0 ? onehot.mul(1 - smoothing).add(smoothing / vocab) : onehot;
  const loss = target.mul(logp).sum(-1).neg();
  if (ignoreId < 0) return loss;
  const keep = tf.notEqual(ids, ignoreId).toFloat();
  const t = keep.shape[1] as number;
  return loss.mul(keep).mul(tf.div(t, keep.sum(1, true).add(1e-9)));
}

for (const cls of [PaddingMask, MaskedAveragePooling, MaskedMaxPooling, SequenceCrossEntropy]) tf.serialization.registerClass(cls);
