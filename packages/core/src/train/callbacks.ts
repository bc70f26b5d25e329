import type { tf } from '../tf.js';

/** Scalar logs of a batch or an epoch: `loss`, metrics by name, `val_*`, `lr`. */
export type Logs = Record<string, number>;

/** What a callback can see of the run it is part of, and how it can stop it. */
export interface TrainContext {
  readonly model: tf.LayersModel;
  readonly epochs: number;
  readonly batchesPerEpoch: number;
  /** Epoch the run started (or resumed) at. */
  readonly initialEpoch: number;
  /** Asks the loop to stop after the current epoch. */
  stop(): void;
  readonly stopRequested: boolean;
}

/**
 * A training callback. Every hook is optional and may be async. Callbacks that carry
 * state across epochs (early stopping, schedules) implement `getState`/`setState`, which
 * checkpoints store so a resumed run behaves like an uninterrupted one.
 */
export interface Callback {
  onTrainBegin?(ctx: TrainContext): void | Promise<void>;
  onEpochBegin?(epoch: number, ctx: TrainContext): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs, ctx: TrainContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs, ctx: TrainContext): void | Promise<void>;
  onTrainEnd?(ctx: TrainContext): void | Promise<void>;
  getState?(): unknown;
  setState?(state: unknown): void;
}
