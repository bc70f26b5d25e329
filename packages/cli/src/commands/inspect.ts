import { join, resolve } from 'node:path';
import { initBackend, loadModel } from '@neurozoo/core';
import { loadDataset } from '@neurozoo/datasets';
import { parse } from '../args.js';
import { UsageError } from '../errors.js';
import { hookOf, trainedArchitecture } from './trained.js';

/** `neurozoo inspect <dir>`: pictures of a model that `train` wrote to `<dir>`, by its architecture's own hook. */
export async function inspect(argv: string[], log: (line: string) => void): Promise<string[]> {
  const { positionals } = parse('inspect', argv, {}, ['dir']);
  if (positionals.length === 0) throw new UsageError('inspect needs the folder `neurozoo train` wrote (with report.json and tfjs/)');
  const dir = resolve(positionals[0]);
  const { arch, report } = trainedArchitecture('inspect', dir);
  const draw = hookOf(arch, 'inspect', 'has no pictures to draw', 'Architectures with pictures');
  await initBackend();
  const model = await loadModel(join(dir, 'tfjs'));
  const { test } = loadDataset(report.dataset as never);
  const files = await draw({ model, test, outDir: join(dir, 'inspect') });
  for (const f of files) log(`wrote ${f}`);
  return files;
}
