// Builds the N-API addon (csrc/binding.gyp: kept out of the package root, where pnpm
// would run an implicit `node-gyp rebuild` install script) with node-gyp and the machine's compiler, then copies it into
// dist/. A failed build is not an error (neurozoo falls back to wasm) unless
// NEUROZOO_NATIVE=1 or CI asks for it: there the native path must be built and tested.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const required = process.env.NEUROZOO_NATIVE === '1' || (process.env.CI && process.env.NEUROZOO_NATIVE !== '0');
if (process.env.NEUROZOO_NATIVE === '0') {
  console.log('@neurozoo/native: skipped (NEUROZOO_NATIVE=0)');
  process.exit(0);
}
let gyp;
try {
  gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
} catch {
  gyp = '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js';
}
// configure + build (not rebuild): incremental, and build/ is never deleted under a
// process that has the addon loaded.
const nodedir = [];
// Use the running Node's headers when they are installed beside it (Debian/NodeSource
// put them in <prefix>/include/node): node-gyp then needs no download, so offline works.
const prefix = dirname(dirname(process.execPath));
if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) nodedir.push(`--nodedir=${prefix}`);
// Two builds at once (parallel turbo runs in one checkout) corrupt build/: take a lock
// (mkdir is atomic), breaking one left behind by a killed build after 5 minutes.
const lock = join(root, '.addon-build.lock');
for (const t0 = Date.now(); ; ) {
  try {
    mkdirSync(lock);
    break;
  } catch {
    if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 300_000) rmdirSync(lock, { recursive: true });
    if (Date.now() - t0 > 600_000) break;
    await new Promise((r) => setTimeout(r, 500));
  }
}
process.on('exit', () => rmdirSync(lock, { recursive: true }));
const run = (cmd) => spawnSync(process.execPath, [gyp, cmd, ...nodedir, ...(cmd === 'build' ? ['-j', '2'] : [])], { cwd: join(root, 'csrc'), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
let r = run('configure');
if (r.status === 0) r = run('build');
const built = join(root, 'csrc', 'build', 'Release', 'neurozoo_native.node');
if (r.status !== 0 || !existsSync(built)) {
  const why = `${r.stderr ?? ''}${r.stdout ?? ''}`.split('\n').filter((l) => /error/i.test(l)).slice(0, 5).join('\n');
  console.log(`@neurozoo/native: addon build failed; neurozoo will use the wasm backend.\n${why}`);
  process.exit(required ? 1 : 0);
}
mkdirSync(join(root, 'dist'), { recursive: true });
// Copy to a temporary name and rename: a process loading the addon never sees half a file.
copyFileSync(built, join(root, 'dist', 'neurozoo_native.node.tmp'));
renameSync(join(root, 'dist', 'neurozoo_native.node.tmp'), join(root, 'dist', 'neurozoo_native.node'));
console.log('@neurozoo/native: built dist/neurozoo_native.node');
