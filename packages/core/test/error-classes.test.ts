/** The typed errors: one base class, a stable code per kind, the subclass's name for messages and logs. */
import { describe, expect, it } from 'vitest';
import {
  BackendError,
  CheckpointError,
  DataError,
  NeurozooError,
  OnnxFormatError,
  OptionError,
  ShapeError,
  UnsupportedLayerError,
} from '../src/index.js';

describe('NeurozooError and its kinds', () => {
  it('each kind extends NeurozooError and Error, with its own code and class name', () => {
    const kinds = [
      [new ShapeError('s'), 'E_SHAPE', 'ShapeError'],
      [new DataError('d'), 'E_DATA', 'DataError'],
      [new OptionError('o'), 'E_OPTION', 'OptionError'],
      [new OnnxFormatError('f'), 'E_ONNX_FORMAT', 'OnnxFormatError'],
      [new BackendError('b'), 'E_BACKEND', 'BackendError'],
      [new CheckpointError('c'), 'E_CHECKPOINT', 'CheckpointError'],
    ] as const;
    for (const [error, code, name] of kinds) {
      expect(error).toBeInstanceOf(NeurozooError);
      expect(error).toBeInstanceOf(Error);
      expect([error.code, error.name]).toEqual([code, name]);
    }
    const base = new NeurozooError('E_CUSTOM', 'what was expected, what came');
    expect([base.code, base.name, base.message]).toEqual(['E_CUSTOM', 'NeurozooError', 'what was expected, what came']);
    expect(String(base)).toBe('NeurozooError: what was expected, what came');
  });

  it('UnsupportedLayerError names the layer, its class and the supported classes, sorted', () => {
    const error = new UnsupportedLayerError('Cropping2D', 'crop_1', ['Dense', 'Conv2D', 'Add']);
    expect(error).toBeInstanceOf(NeurozooError);
    expect([error.code, error.layerClass, error.layerName]).toEqual(['E_UNSUPPORTED_LAYER', 'Cropping2D', 'crop_1']);
    expect(error.message).toBe(
      "Cannot export layer 'crop_1' of class Cropping2D to ONNX: no converter is registered for Cropping2D. Supported classes: Add, Conv2D, Dense.",
    );
  });
});
