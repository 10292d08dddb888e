// After `npm install` / `npm ci`: rebuild the native modules (better-sqlite3, @serialport/bindings-cpp) for
// Electron's ABI, but only where an Electron binary was actually installed. Where it was not (these build
// machines: ELECTRON_SKIP_BINARY_DOWNLOAD, no node_modules/electron/dist) the Node build stays, which is what
// the CLI, browser mode and the tests need, and `gaitlab start` uses browser mode.
//
// GAITLAB_SKIP_ELECTRON_REBUILD=1 keeps the Node build even where Electron is installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDist = join(root, 'node_modules', 'electron', 'dist');

function keepNodeBuild(why) {
  const start = existsSync(electronDist)
    ? 'the desktop app needs npm run rebuild:electron first'
    : 'gaitlab start will use browser mode';
  console.log(`gaitlab postinstall: ${why}: native modules stay built for Node ${process.versions.node}; ${start}.`);
  process.exit(0);
}

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) keepNodeBuild('ELECTRON_SKIP_BINARY_DOWNLOAD is set');
if (!existsSync(electronDist)) keepNodeBuild('no Electron binary (node_modules/electron/dist is missing)');
if (process.env.GAITLAB_SKIP_ELECTRON_REBUILD) keepNodeBuild('GAITLAB_SKIP_ELECTRON_REBUILD is set');

const require = createRequire(import.meta.url);
try {
  require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  keepNodeBuild('node-gyp is not installed (production install)');
}
console.log('gaitlab postinstall: building better-sqlite3 for Electron beside the Node build (scripts/rebuild-electron.mjs)');
const r = spawnSync(process.execPath, [join(root, 'scripts', 'rebuild-electron.mjs')], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  console.error('gaitlab postinstall: the rebuild for Electron failed; run `npm run rebuild:electron` once the cause above is fixed');
}
process.exit(r.status ?? 1);
