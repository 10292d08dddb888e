// Builds better-sqlite3 for the installed Electron into .electron-native/better_sqlite3.node, leaving the
// Node build in node_modules alone: the CLI, browser mode and the tests keep working, and the desktop app
// loads this copy (src-main/store/native-binding.ts; packaged via electron-builder.yml extraResources).
// serialport's bindings are N-API prebuilds and load in both runtimes unchanged.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const source = dirname(require.resolve('better-sqlite3/package.json'));
const work = mkdtempSync(join(tmpdir(), 'gaitlab-electron-native-'));
try {
  cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${join('build', 'Release', 'obj')}`) });
  const gyp = require.resolve('node-gyp/bin/node-gyp.js');
  console.log(`rebuild:electron: building better-sqlite3 for Electron ${electronVersion}`);
  const r = spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'], { cwd: work, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('rebuild:electron: the build failed (it needs Electron\'s headers from electronjs.org); the desktop app cannot open a database until it succeeds');
    process.exit(r.status ?? 1);
  }
  const out = join(root, '.electron-native');
  mkdirSync(out, { recursive: true });
  const built = join(work, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) throw new Error(`no ${built} after the build`);
  copyFileSync(built, join(out, 'better_sqlite3.node'));
  console.log(`rebuild:electron: wrote ${join(out, 'better_sqlite3.node')}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
