/**
 * Errors of @neurozoo/datasets. The package does not depend on core, so it has its own class;
 * `code` uses core's codes (`E_DATA`, `E_OPTION`, `E_SHAPE`) so callers can switch on it alike.
 */

/** Codes a {@link DatasetError} carries. */
export type DatasetErrorCode = 'E_DATA' | 'E_OPTION' | 'E_SHAPE';

/** Every error this package throws on bad input or missing data; `code` is stable. */
export class DatasetError extends Error {
  readonly code: DatasetErrorCode;
  constructor(code: DatasetErrorCode, message: string) {
    super(message);
    this.name = 'DatasetError';
    this.code = code;
  }
}

/** Missing files, corrupt data, NaN/Inf, labels out of range. */
export const dataError = (message: string) => new DatasetError('E_DATA', message);
/** An option or name outside its domain. */
export const optionError = (message: string) => new DatasetError('E_OPTION', message);
