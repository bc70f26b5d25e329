import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { initBackend, loadModel } from '@neurozoo/core';
import { loadDataset } from '@neurozoo/datasets';
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { architectureNames, architectures } from '../registry.js';

/** `neurozoo inspect <dir>`: pictures of a model that `train` wrote to `<dir>`, by its architecture's own hook. */
export async function inspect(argv: string[], log: (line: string) => void): Promise<string[]> {
  const { positionals } = parse('inspect', argv, {}, ['dir']);
  if (positionals.length === 0) throw new UsageError('inspect needs the folder `neurozoo train` wrote (with report.json and tfjs/)');
  const dir = resolve(positionals[0]);
  let report: { arch: string; dataset: string };
  try {
    report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  } catch (err) {
    throw new UsageError(`${dir} has no readable report.json (${(err as Error).message}); point inspect at a folder written by \`neurozoo train\``);
  }
  const arch = architectures.find((a) => a.name === report.arch);
  if (!arch) throw new UsageError(`${dir} holds a '${report.arch}' model; this CLI knows: ${architectureNames().join(', ')}`);
  if (!arch.inspect) {
    const withPictures = architectures.filter((a) => a.inspect).map((a) => a.name);
    throw new UsageError(`'${arch.name}' has no pictures to draw. Architectures with pictures: ${withPictures.join(', ') || 'none yet'}`);
  }
  await initBackend();
  const model = await loadModel(join(dir, 'tfjs'));
  const { test } = loadDataset(report.dataset as never);
  const files = await arch.inspect({ model, test, outDir: join(dir, 'inspect') });
  for (const f of files) log(`wrote ${f}`);
  return files;
}
