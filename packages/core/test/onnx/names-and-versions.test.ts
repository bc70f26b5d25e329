/** ONNX value names and the IR version paired with each supported opset. */
import { describe, expect, it } from 'vitest';
import { irVersionForOpset, MAX_OPSET, MIN_OPSET, sanitizeName } from '../../src/index.js';

describe('sanitizeName', () => {
  it('keeps letters, digits and _ . / -, replaces the rest by _, never returns an empty name', () => {
    expect(sanitizeName('dense_1/kernel:0')).toBe('dense_1/kernel_0');
    expect(sanitizeName('conv 2d (α)')).toBe('conv_2d____');
    expect(sanitizeName('')).toBe('value');
  });
});

describe('irVersionForOpset', () => {
  it('pairs IR 8 up to opset 18, 9 for 19-20, 10 from 21, across the supported range', () => {
    expect([MIN_OPSET, MAX_OPSET]).toEqual([13, 21]);
    const pairs = Array.from({ length: MAX_OPSET - MIN_OPSET + 1 }, (_, i) => [MIN_OPSET + i, irVersionForOpset(MIN_OPSET + i)]);
    expect(pairs).toEqual([[13, 8], [14, 8], [15, 8], [16, 8], [17, 8], [18, 8], [19, 9], [20, 9], [21, 10]]);
  });
});
