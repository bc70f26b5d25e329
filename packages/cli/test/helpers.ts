import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/index.js';

/** Runs the CLI in-process and captures its exit code, stdout and stderr lines. */
export async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

export const tmp = (prefix = 'nz-cli-') => mkdtempSync(join(tmpdir(), prefix));
