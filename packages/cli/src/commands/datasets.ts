import { listDatasets } from '@neurozoo/datasets';
import { parse } from '../args.js';

/** `neurozoo datasets`: what is available and where it comes from. */
export function datasets(argv: string[], log: (line: string) => void) {
  parse('datasets', argv, {});
  const list = listDatasets();
  for (const d of list) {
    log(`${d.name.padEnd(14)} ${d.available ? 'available' : 'missing  '}  ${d.description}`);
    log(`${''.padEnd(14)} source: ${d.source}${d.available || !d.installHint ? '' : `; install: ${d.installHint}`}`);
  }
  return list;
}
