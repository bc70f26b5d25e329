/**
 * @neurozoo/core: what every neurozoo family shares. Re-exports only.
 * @packageDocumentation
 */
export * from './errors.js';
export { tf } from './tf.js';
export * from './random.js';
export * from './backend/index.js';
export * from './io/index.js';
export * from './train/index.js';
export * from './onnx/index.js';
export * from './verify.js';
export * from './bench.js';
export type * from './arch.js';
export { fitOptionsOf } from './arch.js';
