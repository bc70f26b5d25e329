/**
 * @neurozoo/core: what every neurozoo family shares. Re-exports only.
 * @packageDocumentation
 */
export * from './errors.js';
export { tf } from './tf.js';
export * from './random.js';
