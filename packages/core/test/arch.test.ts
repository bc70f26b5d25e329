/** fitOptionsOf: what a `neurozoo train` request hands on to core's fit. */
import { describe, expect, it } from 'vitest';
import { fitOptionsOf, type RequestFitOptions, type TrainRequest, type TrainingData } from '../src/index.js';

const data: TrainingData = { name: 'toy', x: new Float32Array(4), xShape: [2, 2], y: Int32Array.of(0, 1), numClasses: 2 };
const request: TrainRequest = { train: data, test: data, epochs: 3, batchSize: 16, seed: 7, verbose: 'auto' };

describe('fitOptionsOf', () => {
  it('passes epochs, batch size, seed and verbosity on, and no checkpointing without a folder', () => {
    const options: RequestFitOptions = fitOptionsOf({ ...request, resume: true });
    expect(options).toEqual({ epochs: 3, batchSize: 16, seed: 7, verbose: 'auto' });
  });

  it('checkpoints into the request\'s folder and resumes when asked', () => {
    expect(fitOptionsOf({ ...request, checkpointDir: '/tmp/run', resume: true })).toEqual({
      epochs: 3, batchSize: 16, seed: 7, verbose: 'auto', checkpoint: { dir: '/tmp/run' }, resume: true,
    });
    expect(fitOptionsOf({ ...request, checkpointDir: '/tmp/run' })).toEqual({
      epochs: 3, batchSize: 16, seed: 7, verbose: 'auto', checkpoint: { dir: '/tmp/run' }, resume: undefined,
    });
  });
});
