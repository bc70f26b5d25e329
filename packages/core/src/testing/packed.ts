/**
 * installPacked(): what a user gets from `npm install`. Packs workspace packages with pnpm (which
 * turns `workspace:` ranges into versions), installs the tarballs with npm into an empty project
 * and answers what ended up in node_modules, so install-size promises ("no TensorFlow.js in a
 * runtime install") are checked on the real artefacts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

/** An npm project with packed packages installed. */
export interface PackedInstall {
  /** The project folder. */
  dir: string;
  /** Every package in the installed tree as `name@version`, sorted (from `npm ls --all`). */
  installed(): string[];
  /** Runs `node <file>` in the project (after writing `source` to it) and returns its stdout. */
  run(file: string, source: string): string;
}

/** Options of {@link installPacked}. */
export interface InstallPackedOptions {
  /** Registry packages to install beside the tarballs, e.g. `['@tensorflow/tfjs@4.22.0']`. */
  extra?: string[];
}

/** pnpm: the one running us when pnpm started the tests, else the version the workspace pins. */
function pnpm(args: string[], cwd: string): string {
  const execPath = process.env.npm_execpath ?? '';
  if (/pnpm/.test(execPath)) {
    // pnpm 12 is a native executable; older ones are a JS file run by node.
    return /\.[cm]?js$/.test(execPath)
      ? execFileSync(process.execPath, [execPath, ...args], { cwd, encoding: 'utf8' })
      : execFileSync(execPath, args, { cwd, encoding: 'utf8' });
  }
  return execFileSync('npx', ['-y', 'pnpm@12.4.2', ...args], { cwd, encoding: 'utf8' });
}

interface LsNode {
  version?: string;
  missing?: boolean;
  dependencies?: Record<string, LsNode>;
}

function flatten(deps: Record<string, LsNode> | undefined, into: Set<string>): Set<string> {
  for (const [name, node] of Object.entries(deps ?? {})) {
    // npm ls also lists optional peers that are not installed: no version, nothing on disk.
    if (node.version === undefined || node.missing) continue;
    into.add(`${name}@${node.version}`);
    flatten(node.dependencies, into);
  }
  return into;
}

/**
 * Packs each workspace package folder in `packageDirs` (built `dist/` included, as published) and
 * installs the tarballs, plus `options.extra`, into a new empty ES-module project. onnxruntime-node's
 * postinstall (a CUDA download) is skipped, as on offline machines.
 */
export function installPacked(packageDirs: string[], options: InstallPackedOptions = {}): PackedInstall {
  const dir = mkdtempSync(join(tmpdir(), 'nz-packed-'));
  for (const pkg of packageDirs) pnpm(['pack', '--pack-destination', dir], pkg);
  const tarballs = readdirSync(dir).filter((f) => f.endsWith('.tgz')).map((f) => `./${basename(f)}`);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, ...(options.extra ?? [])], {
    cwd: dir,
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
    stdio: 'pipe',
  });
  return {
    dir,
    installed() {
      const tree = JSON.parse(execFileSync('npm', ['ls', '--all', '--json'], { cwd: dir, encoding: 'utf8' })) as LsNode;
      return [...flatten(tree.dependencies, new Set())].sort();
    },
    run(file, source) {
      writeFileSync(join(dir, file), source);
      return execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
    },
  };
}

/** Packages only training needs: a runtime install must hold none of them. */
const TRAINING_ONLY = /^(@tensorflow\/|onnxruntime-node@|@neurozoo\/native@)/;

/** The training-only packages (TensorFlow.js, onnxruntime-node, the native kernels) among `installed`. */
export function trainingPackages(installed: readonly string[]): string[] {
  return installed.filter((p) => TRAINING_ONLY.test(p));
}

/**
 * A user's runtime install of one family: `@neurozoo/core` and the family folder `familyDir`
 * packed and installed with nothing else, and `files` (exported models) written beside them.
 */
export function installRuntime(familyDir: string, files: Record<string, Uint8Array> = {}): PackedInstall {
  const here = import.meta.url; // tsup's shims give CommonJS builds an import.meta.url too
  const coreDir = dirname(createRequire(here).resolve('@neurozoo/core/package.json'));
  const project = installPacked([coreDir, familyDir]);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(project.dir, name), bytes);
  return project;
}
