/**
 * CNN configurations and their validation: shapes are computed stage by stage before any layer
 * is built, so a configuration that shrinks the feature map below 1x1 fails with the stage and
 * the shapes named.
 */
import { OptionError, ShapeError } from '@neurozoo/core';

/** Pooling after a stage's convolution. */
export interface PoolConfig {
  type: 'max' | 'avg';
  /** Window size (square when a number). */
  size: number | [number, number];
  /** Defaults to `size` (non-overlapping windows). */
  strides?: number | [number, number];
  /** Default 'valid'. */
  padding?: 'valid' | 'same';
}

/** One convolution stage: conv -> (batchNorm) -> activation -> (pool). */
export interface StageConfig {
  filters: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  /** Default 'valid', the seed's (M-K+1)x(N-L+1) convolution. */
  padding?: 'valid' | 'same';
  /** Default 'relu'. */
  activation?: string;
  pool?: PoolConfig;
}

/** Configuration of {@link cnn}. */
export interface CnnConfig {
  /** [height, width, channels] of one image (NHWC, as @neurozoo/datasets loads MNIST). */
  inputShape: [number, number, number];
  stages: StageConfig[];
  /** Hidden dense units after the flatten (ReLU); the classifier head is added after them. */
  dense?: number[];
  /** Number of classes of the softmax head (default 10). */
  classes?: number;
  /** Dropout rate before each dense layer (default 0). */
  dropout?: number;
  /** BatchNormalization after every convolution (its conv then has no bias). Default false. */
  batchNorm?: boolean;
  /** Accept flattened rows [batch, H*W*C] (row-major NHWC) and reshape inside the model. Default false. */
  flatInput?: boolean;
  /** Model name (default 'cnn'). */
  name?: string;
}

const pair = (v: number | [number, number]): [number, number] => (Array.isArray(v) ? v : [v, v]);

/** Output size of a window of size k with stride s over n cells ('valid' or 'same'). */
export function windowOutput(n: number, k: number, s: number, padding: 'valid' | 'same'): number {
  return padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
}

/** Shapes [h, w, c] after each stage's convolution and after its pooling. */
export interface StageShapes {
  conv: [number, number, number];
  pooled: [number, number, number];
}

function positiveInt(what: string, v: unknown): void {
  if (!Number.isInteger(v) || (v as number) < 1) throw new OptionError(`${what} must be a positive integer, got ${JSON.stringify(v)}.`);
}

/**
 * Checks `config` and returns the feature-map shape after every stage.
 * @throws OptionError for malformed values, ShapeError naming the stage and shapes when a
 * stage shrinks the map below 1x1.
 */
export function validateConfig(config: CnnConfig): StageShapes[] {
  const { inputShape, stages } = config;
  if (!Array.isArray(inputShape) || inputShape.length !== 3) {
    throw new OptionError(`inputShape must be [height, width, channels], got ${JSON.stringify(inputShape)}.`);
  }
  inputShape.forEach((d, i) => positiveInt(`inputShape[${i}]`, d));
  if (!Array.isArray(stages) || stages.length === 0) throw new OptionError('stages must be a non-empty array of { filters, kernelSize, ... }.');
  for (const d of config.dense ?? []) positiveInt('dense units', d);
  positiveInt('classes', config.classes ?? 10);
  const rate = config.dropout ?? 0;
  if (!(rate >= 0 && rate < 1)) throw new OptionError(`dropout must be in [0, 1), got ${rate}.`);
  let [h, w] = inputShape;
  const shapes: StageShapes[] = [];
  stages.forEach((s, i) => {
    const where = `stage ${i + 1}`;
    positiveInt(`${where}: filters`, s.filters);
    const [kh, kw] = pair(s.kernelSize);
    const [sh, sw] = pair(s.strides ?? 1);
    [kh, kw, sh, sw].forEach((v) => positiveInt(`${where}: kernelSize and strides`, v));
    const padding = s.padding ?? 'valid';
    if (padding !== 'valid' && padding !== 'same') throw new OptionError(`${where}: padding must be 'valid' or 'same', got ${JSON.stringify(padding)}.`);
    const ch = windowOutput(h, kh, sh, padding);
    const cw = windowOutput(w, kw, sw, padding);
    if (ch < 1 || cw < 1) {
      throw new ShapeError(`${where}: a ${kh}x${kw} convolution ('${padding}', strides ${sh}x${sw}) cannot run on a ${h}x${w} feature map: it would give ${ch}x${cw}.`);
    }
    let [ph, pw] = [ch, cw];
    if (s.pool) {
      if (s.pool.type !== 'max' && s.pool.type !== 'avg') throw new OptionError(`${where}: pool.type must be 'max' or 'avg', got ${JSON.stringify(s.pool.type)}.`);
      const [qh, qw] = pair(s.pool.size);
      const [th, tw] = pair(s.pool.strides ?? s.pool.size);
      [qh, qw, th, tw].forEach((v) => positiveInt(`${where}: pool size and strides`, v));
      ph = windowOutput(ch, qh, th, s.pool.padding ?? 'valid');
      pw = windowOutput(cw, qw, tw, s.pool.padding ?? 'valid');
      if (ph < 1 || pw < 1) {
        throw new ShapeError(`${where}: a ${qh}x${qw} ${s.pool.type} pool cannot run on the ${ch}x${cw} map its convolution gives: it would give ${ph}x${pw}.`);
      }
    }
    shapes.push({ conv: [ch, cw, s.filters], pooled: [ph, pw, s.filters] });
    [h, w] = [ph, pw];
  });
  return shapes;
}

/**
 * Stages whose channels multiply as the seed describes ("on the odd layers the number of
 * channels is multiplied"): `first` filters, then `first * factor`, ... each with a 2x2 max pool.
 */
export function multiplyingStages(count: number, first: number, factor = 2, kernelSize = 3, padding: 'valid' | 'same' = 'same'): StageConfig[] {
  positiveInt('stage count', count);
  return Array.from({ length: count }, (_, i) => ({
    filters: first * factor ** i,
    kernelSize,
    padding,
    pool: { type: 'max' as const, size: 2 },
  }));
}
