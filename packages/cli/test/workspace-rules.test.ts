/**
 * The workspace's dependency rule, checked over every source file: a family depends on
 * @neurozoo/core only (never on another family or @neurozoo/datasets), core depends on no
 * family, every family's deploy entry (`src/runtime/index.ts`) reaches no tfjs (through core's
 * runtime too), and every family registers its converters the same way. The CLI's tests hold it
 * because the CLI depends on every family.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConverter, type LayerConverter } from '@neurozoo/core';
import { importSpecifiers, moduleGraph } from '@neurozoo/core/testing';
import { describe, expect, it } from 'vitest';

const PACKAGES = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The model families. */
const FAMILIES = ['autoencoder', 'cnn', 'perceptron', 'rbm-dbn', 'rnn', 'transformer'] as const;
type Family = (typeof FAMILIES)[number];
/** Every other workspace package: a new package must be listed here or in FAMILIES. */
const OTHERS = ['browser-tests', 'cli', 'core', 'datasets', 'native'];

const NEUROZOO = '@neurozoo/';
const fromRoot = (file: string) => relative(dirname(PACKAGES), file).split(sep).join('/');
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f))
    .sort();
}

/**
 * The workspace package an import of `file` lands in: for a relative import the package folder
 * it resolves into (null when it stays in `own`), for '@neurozoo/x/...' the folder x.
 */
function targetOf(file: string, spec: string, own: string): string | null {
  if (spec.startsWith('.')) {
    const [folder] = relative(PACKAGES, resolve(dirname(file), spec)).split(sep);
    return folder === own ? null : folder;
  }
  return spec.startsWith(NEUROZOO) ? spec.slice(NEUROZOO.length).split('/')[0] : null;
}

/** "file imports 'spec'" for every import in `pkg`'s sources that lands in a package `forbidden` names. */
function forbiddenImports(pkg: string, forbidden: (target: string) => boolean): string[] {
  const found: string[] = [];
  for (const file of sources(join(PACKAGES, pkg, 'src'))) {
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      const target = targetOf(file, spec, pkg);
      if (target !== null && forbidden(target)) found.push(`${fromRoot(file)} imports '${spec}'`);
    }
  }
  return found;
}

/** "package.json <field> lists 'name'" for every @neurozoo package `allowed` rejects in those fields. */
function forbiddenDependencies(pkg: string, fields: readonly string[], allowed: (name: string) => boolean): string[] {
  const json = readJson(join(PACKAGES, pkg, 'package.json'));
  return fields.flatMap((field) =>
    Object.keys(json[field] ?? {})
      .filter((name) => name.startsWith(NEUROZOO) && !allowed(name))
      .map((name) => `packages/${pkg}/package.json ${field} lists '${name}'`),
  );
}

/**
 * Each workspace export specifier ('@neurozoo/core/runtime', ...) with the source files its
 * built files come from (tsup maps src/<x>.ts to dist/<x>.js), for moduleGraph to follow.
 */
function workspaceEntries(): Record<string, string[]> {
  const entries: Record<string, string[]> = {};
  for (const dir of [...FAMILIES, 'core']) {
    const json = readJson(join(PACKAGES, dir, 'package.json'));
    for (const [key, target] of Object.entries(json.exports ?? {})) {
      const files = new Set<string>();
      const collect = (value: unknown): void => {
        if (typeof value === 'string') {
          const built = /^\.\/dist\/(.+)\.c?js$/.exec(value);
          if (built) files.add(join(PACKAGES, dir, 'src', `${built[1]}.ts`));
        } else if (value && typeof value === 'object') Object.values(value).forEach(collect);
      };
      collect(target);
      if (files.size > 0) entries[key === '.' ? json.name : `${json.name}/${key.slice(2)}`] = [...files].sort();
    }
  }
  return entries;
}

describe('dependency rule: families -> core only', () => {
  it('every workspace package is core, a family or a known tool package', () => {
    const dirs = readdirSync(PACKAGES).filter((d) => existsSync(join(PACKAGES, d, 'package.json')));
    expect(dirs.sort()).toEqual([...FAMILIES, ...OTHERS].sort());
  });

  it('no family source imports another family, @neurozoo/datasets or any workspace package but core', () => {
    expect(FAMILIES.flatMap((family) => forbiddenImports(family, (target) => target !== 'core'))).toEqual([]);
  });

  it('core imports no family, nor datasets or the CLI', () => {
    expect(forbiddenImports('core', (target) => target !== 'native')).toEqual([]);
  });

  it("no family's package.json depends on another family or @neurozoo/datasets (datasets only for its tests)", () => {
    const isCore = (name: string) => name === '@neurozoo/core';
    const found = FAMILIES.flatMap((family) => [
      ...forbiddenDependencies(family, ['dependencies', 'peerDependencies', 'optionalDependencies'], isCore),
      ...forbiddenDependencies(family, ['devDependencies'], (name) => isCore(name) || name === '@neurozoo/datasets'),
    ]);
    found.push(...forbiddenDependencies('core', ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'], (name) => name === '@neurozoo/native'));
    expect(found).toEqual([]);
  });
});

/** Relative imports of a source that exist at run time (type-only imports are erased, so they cannot loop). */
const RUNTIME_RELATIVE = /^\s*(?:import|export)\s+(?!type\b)[^'"]*?\bfrom\s*['"](\.[^'"]+)['"]|^\s*import\s*['"](\.[^'"]+)['"]/gm;

/** Every import loop among a package's sources, as "a.ts -> b.ts -> a.ts". */
function importLoops(pkg: string): string[] {
  const files = sources(join(PACKAGES, pkg, 'src'));
  const edges = new Map(
    files.map((file) => {
      const targets = [...readFileSync(file, 'utf8').matchAll(RUNTIME_RELATIVE)].map((m) => {
        const target = resolve(dirname(file), (m[1] ?? m[2]).replace(/\.js$/, '.ts'));
        return existsSync(target) ? target : join(target.replace(/\.ts$/, ''), 'index.ts');
      });
      return [file, targets] as const;
    }),
  );
  const loops: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, path: string[]) => {
    state.set(file, 'open');
    for (const next of edges.get(file) ?? []) {
      const chain = [...path, file];
      if (state.get(next) === 'open') loops.push([...chain.slice(chain.indexOf(next)), next].map(fromRoot).join(' -> '));
      else if (!state.has(next)) visit(next, chain);
    }
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file, []);
  return loops;
}

describe('no import loops', () => {
  it.each([...FAMILIES, ...OTHERS])('%s: its sources import each other without a loop', (pkg) => {
    expect(importLoops(pkg)).toEqual([]);
  });
});

describe('deploy entries: no tfjs', () => {
  const entries = workspaceEntries();

  it("the workspace's export specifiers map to existing sources (so the graphs below follow them)", () => {
    expect(entries['@neurozoo/core/runtime']).toEqual([join(PACKAGES, 'core/src/runtime/node.ts'), join(PACKAGES, 'core/src/runtime/web.ts')]);
    for (const family of FAMILIES) expect(entries[`@neurozoo/${family}/runtime`]).toEqual([join(PACKAGES, family, 'src/runtime/index.ts')]);
    expect(Object.values(entries).flat().filter((file) => !existsSync(file))).toEqual([]);
  });

  it.each(FAMILIES)("%s/runtime reaches no '@tensorflow/*' module, and its own files import no package but @neurozoo/core/runtime (and node built-ins)", (family) => {
    const own = join(PACKAGES, family, 'src') + sep;
    const graph = moduleGraph(join(own, 'runtime/index.ts'), { follow: entries });
    // The walk went on into core's runtime sources: tfjs reached through core would show.
    expect(graph.files.filter((f) => f.startsWith(join(PACKAGES, 'core/src/runtime') + sep)).length).toBeGreaterThan(3);
    const tfjs = graph.external
      .filter((spec) => spec.startsWith('@tensorflow/'))
      .map((spec) => `${family}/runtime reaches '${spec}', imported by ${graph.importers[spec].map(fromRoot).join(', ')}`);
    expect(tfjs).toEqual([]);
    const ownImports = graph.external.filter((spec) => !spec.startsWith('node:') && graph.importers[spec].some((file) => file.startsWith(own)));
    expect(ownImports).toEqual(['@neurozoo/core/runtime']);
  });
});

/** Each family's built package (what a user installs), loaded as the CLI loads it. */
const LOAD: Record<Family, () => Promise<Record<string, unknown>>> = {
  autoencoder: () => import('@neurozoo/autoencoder'),
  cnn: () => import('@neurozoo/cnn'),
  perceptron: () => import('@neurozoo/perceptron'),
  'rbm-dbn': () => import('@neurozoo/rbm-dbn'),
  rnn: () => import('@neurozoo/rnn'),
  transformer: () => import('@neurozoo/transformer'),
};
/** The families with custom layers, and one class each converts. */
const CUSTOM_LAYER: Partial<Record<Family, string>> = { autoencoder: 'ActivityL1', 'rbm-dbn': 'RbmHidden', transformer: 'MultiHeadAttention' };

describe('converter registration: one way in every family', () => {
  it.each(FAMILIES)('%s: its <FAMILY>_CONVERTERS record is registered with core when the package loads', async (family) => {
    const exports = await LOAD[family]();
    const name = `${family.toUpperCase().replace('-', '_')}_CONVERTERS`;
    expect(Object.keys(exports).filter((key) => key.endsWith('_CONVERTERS'))).toEqual(CUSTOM_LAYER[family] ? [name] : []);
    const index = readFileSync(join(PACKAGES, family, 'src/index.ts'), 'utf8');
    const calls = index.match(/registerConverters\([^)]*\)/g) ?? [];
    if (!CUSTOM_LAYER[family]) {
      expect(calls).toEqual([]);
      return;
    }
    expect(calls).toEqual([`registerConverters(${name})`]);
    const record = exports[name] as Record<string, LayerConverter>;
    expect(Object.keys(record)).toContain(CUSTOM_LAYER[family]);
    const unregistered = Object.entries(record).filter(([cls, converter]) => getConverter(cls) !== converter).map(([cls]) => cls);
    expect(unregistered).toEqual([]);
  });
});
