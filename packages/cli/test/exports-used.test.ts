/**
 * Every public value export (function, class, constant, enum) of every package's entry points
 * (the `types` of each package.json "exports" entry, read from the built .d.ts with the
 * TypeScript compiler) must be named by at least one test file of the workspace, so no public
 * API ships untested. Type-only exports (interfaces, type aliases) are not counted: the
 * compiler checks them wherever the values that use them are tested.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const here = fileURLToPath(import.meta.url);
const packagesDir = resolve(dirname(here), '../..');

/** Every `types` file (ESM .d.ts) named anywhere in an "exports" map, however deeply nested by condition. */
function typeEntries(exportsMap: unknown): string[] {
  if (typeof exportsMap !== 'object' || exportsMap === null) return [];
  return Object.entries(exportsMap).flatMap(([key, value]) =>
    key === 'types' && typeof value === 'string' && value.endsWith('.d.ts') ? [value] : typeEntries(value),
  );
}

/** Files under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** `package/entry` -> the value names that entry exports (re-exports resolved to what they name). */
function publicExports(): Map<string, string[]> {
  const entries: [string, string][] = [];
  for (const pkg of readdirSync(packagesDir)) {
    const manifest = join(packagesDir, pkg, 'package.json');
    let json: { name: string; exports?: Record<string, unknown> };
    try {
      json = JSON.parse(readFileSync(manifest, 'utf8'));
    } catch {
      continue; // not a package folder
    }
    for (const [subpath, target] of Object.entries(json.exports ?? {})) {
      for (const types of new Set(typeEntries(target))) entries.push([`${json.name}${subpath.slice(1)} (${types})`, join(packagesDir, pkg, types)]);
    }
  }
  const program = ts.createProgram(entries.map(([, file]) => file), { noEmit: true, skipLibCheck: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler });
  const checker = program.getTypeChecker();
  const result = new Map<string, string[]>();
  for (const [label, file] of entries) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${label}: ${file} is missing; build the packages first`);
    const module = checker.getSymbolAtLocation(source);
    const isValue = (s: ts.Symbol) => ((s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).flags & ts.SymbolFlags.Value) !== 0;
    result.set(label, module ? checker.getExportsOfModule(module).filter(isValue).map((s) => s.name).filter((n) => n !== 'default') : []);
  }
  return result;
}

it('every public export of every package is named in at least one test file', () => {
  const tests = readdirSync(packagesDir)
    .flatMap((pkg) => {
      try {
        return filesUnder(join(packagesDir, pkg, 'test'));
      } catch {
        return [];
      }
    })
    .filter((f) => f !== here);
  const testText = tests.map((f) => readFileSync(f, 'utf8')).join('\n');
  const exports = publicExports();
  expect([...exports.values()].flat().length).toBeGreaterThan(200); // the parse found the real entry points
  const untested = [...exports]
    .map(([entry, names]) => [entry, names.filter((n) => !new RegExp(`\\b${n.replace(/\$/g, '\\$')}\\b`).test(testText)).sort()] as const)
    .filter(([, missing]) => missing.length)
    .map(([entry, missing]) => `${entry}: ${missing.join(', ')}`)
    .join('\n');
  expect(untested, `public exports no test names (test them, or remove them if they are dead API):\n${untested}`).toBe('');
});
