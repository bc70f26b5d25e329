/**
 * Static import graphs of TypeScript sources: how tests prove a deploy entry never reaches
 * tfjs, and that packages import only what the dependency rule allows.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// `import ... from 'x'`, `export ... from 'x'` (type-only ones included), `import 'x'` and `import('x')`.
const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** The module specifiers a source text imports or re-exports, in order of appearance. */
export function importSpecifiers(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/** Options of {@link moduleGraph}. */
export interface ModuleGraphOptions {
  /**
   * Package specifiers to follow into their source files, e.g. `{ '@neurozoo/core/runtime':
   * ['<core>/src/runtime/node.ts', '<core>/src/runtime/web.ts'] }`: what those files reach is
   * part of the graph. Other package specifiers end the walk.
   */
  follow?: Readonly<Record<string, readonly string[]>>;
}

/** What {@link moduleGraph} returns. */
export interface ModuleGraph {
  /** Source files reached, the entry included, sorted. */
  files: string[];
  /** Package specifiers imported by those files (followed ones included), sorted. */
  external: string[];
  /** The files that import each package specifier, by specifier. */
  importers: Record<string, string[]>;
}

/**
 * The modules an entry file reaches through its relative imports (TypeScript sources, `.js`
 * specifiers mapped to `.ts`) and through the package specifiers in `options.follow`, and the
 * packages they import.
 */
export function moduleGraph(entry: string, options: ModuleGraphOptions = {}): ModuleGraph {
  const seen = new Set<string>();
  const importers: Record<string, string[]> = {};
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
        continue;
      }
      (importers[spec] ??= []).push(file);
      for (const target of options.follow?.[spec] ?? []) visit(target);
    }
  };
  visit(entry);
  return { files: [...seen].sort(), external: Object.keys(importers).sort(), importers };
}
