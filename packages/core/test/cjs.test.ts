import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// CommonJS users `require` the main entry and the runtime entry separately. Each used to carry its
// own copy of the error classes, so `instanceof DataError` failed across them.
describe('CommonJS build', () => {
  it('@neurozoo/core and @neurozoo/core/runtime share one set of error classes', () => {
    const require = createRequire(import.meta.url);
    const main = require('@neurozoo/core');
    const runtime = require('@neurozoo/core/runtime');
    expect(require.resolve('@neurozoo/core')).toMatch(/dist\/index\.cjs$/);
    expect(require.resolve('@neurozoo/core/runtime')).toMatch(/dist\/runtime\/node\.cjs$/);
    expect(runtime.DataError).toBe(main.DataError);
    expect(new runtime.OnnxFormatError('not ONNX')).toBeInstanceOf(main.NeurozooError);
    expect(new main.ShapeError('bad shape')).toBeInstanceOf(runtime.NeurozooError);
  });
});
