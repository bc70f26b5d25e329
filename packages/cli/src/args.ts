import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

type OptionSpec = { type: 'string' | 'boolean'; short?: string; description: string };
export type OptionSpecs = Record<string, OptionSpec>;

/**
 * Parses `argv` strictly with node:util's parseArgs, turning its errors into a
 * {@link UsageError} that lists the valid options of the command. A last positional named
 * `name...` takes any number of arguments.
 */
export function parse(command: string, argv: string[], options: OptionSpecs, positionals: string[] = []) {
  try {
    const { values, positionals: rest } = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.entries(options).map(([k, v]) => [k, v.short ? { type: v.type, short: v.short } : { type: v.type }])),
      allowPositionals: true,
      strict: true,
    });
    const variadic = positionals.at(-1)?.endsWith('...') ?? false;
    if (!variadic && rest.length > positionals.length) {
      throw new UsageError(`Unexpected argument '${rest[positionals.length]}' for '${command}'. Usage: neurozoo ${command} ${usageOf(options, positionals)}`);
    }
    return { values: values as Record<string, string | boolean | undefined>, positionals: rest };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(`${message}. Valid options for '${command}': ${Object.keys(options).map((o) => `--${o}`).join(', ')}`);
  }
}

export function usageOf(options: OptionSpecs, positionals: string[]): string {
  const opts = Object.entries(options).map(([k, v]) => (v.type === 'boolean' ? `[--${k}]` : `[--${k} ${k.toUpperCase().replace(/-/g, '_')}]`));
  return [...positionals.map((p) => `<${p}>`), ...opts].join(' ');
}

/** Parses a positive integer option, or throws a UsageError naming it. */
export function intOption(name: string, value: string | boolean | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < min) {
    throw new UsageError(`--${name} expects an integer >= ${min}, got '${value}'`);
  }
  return n;
}

/** Checks `value` is one of `choices`, or throws a UsageError listing them. */
export function choice<T extends string>(what: string, value: string, choices: readonly T[]): T {
  if (!choices.includes(value as T)) throw new UsageError(`Unknown ${what} '${value}'. Valid ${what}s: ${choices.join(', ')}`);
  return value as T;
}
