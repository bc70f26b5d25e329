/**
 * `@neurozoo/core/serve` (Node only): an HTTP JSON inference server for ONNX models on
 * onnxruntime-node with dynamic batching, a load generator, and Triton model repository
 * export. Imports no tfjs.
 *
 * @example
 * ```ts
 * import { createServer } from '@neurozoo/core/serve';
 * const server = await createServer('mlp.onnx', { port: 8080, maxBatch: 32, maxWaitMs: 2 });
 * // curl -H 'content-type: application/json' -d '{"inputs":{"data":[...784 values],"dims":[1,784]}}' localhost:8080/infer
 * await server.close();
 * ```
 * @packageDocumentation
 */
export { type BatcherOptions, type BatcherStats, type BatchResult, BusyError, batchProblem, DynamicBatcher } from './batcher.js';
export { feedsFromJson, HttpError } from './http.js';
export { type LoadTestOptions, type LoadTestResult, loadTest } from './loadtest.js';
export { createServer, type ServeOptions, type ZooServer } from './server.js';
export { TRITON_TYPES, type TritonOptions, type TritonRepository, tritonBatchable, tritonConfig, writeTritonRepository } from './triton.js';
