/** What the commands that read a folder `neurozoo train` wrote (predict, generate, inspect) share. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchitectureSpec } from '@neurozoo/core';
import { UsageError } from '../errors.js';
import { architectureNames, architectures } from '../registry.js';

/** Reads `<dir>/report.json` and finds the architecture that wrote the folder, or throws a UsageError saying what is wrong. */
export function trainedArchitecture(command: string, dir: string) {
  let report: { arch: string; dataset: string };
  try {
    report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  } catch (err) {
    throw new UsageError(`${dir} has no readable report.json (${(err as Error).message}); point ${command} at a folder written by \`neurozoo train\``);
  }
  const arch = architectures.find((a) => a.name === report.arch);
  if (!arch) throw new UsageError(`${dir} holds a '${report.arch}' model; this CLI knows: ${architectureNames().join(', ')}`);
  return { arch, report };
}

type Hook = 'predict' | 'generate' | 'inspect';

/**
 * The architecture's `hook`, bound to it; a UsageError when it has none, saying `'<arch>' <lacks>.`
 * then `<those>: ` and the architectures that have one.
 */
export function hookOf<K extends Hook>(arch: ArchitectureSpec, hook: K, lacks: string, those: string): NonNullable<ArchitectureSpec[K]> {
  const fn = arch[hook];
  if (!fn) {
    const having = architectures.filter((a) => a[hook]).map((a) => a.name);
    throw new UsageError(`'${arch.name}' ${lacks}. ${those}: ${having.join(', ') || 'none yet'}`);
  }
  return fn.bind(arch) as NonNullable<ArchitectureSpec[K]>;
}
