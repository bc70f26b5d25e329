import { OptionError } from '@neurozoo/core';

/** Rejects keys of `config` that `known` does not list, naming the valid ones. */
export function rejectUnknownKeys(what: string, config: object, known: readonly string[]): void {
  const unknown = Object.keys(config).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new OptionError(`Unknown ${what} option(s): ${unknown.join(', ')}. Valid options: ${known.join(', ')}`);
  }
}
