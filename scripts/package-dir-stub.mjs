// Packages the app with `electron-builder --linux dir` against a stub Electron distribution, on machines where
// the real Electron binary cannot be downloaded. It checks electron-builder.yml end to end: app.asar contents,
// unpacked native modules, extraResources and the fuses, without running the app (the stub cannot run it).
//
// Needs `npm run build` first. Prints one JSON summary on stdout; electron-builder's log goes to stderr.
// Exit 0 when the package is as expected, 1 otherwise.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const stubDir = join(root, '.tmp', 'electron-stub');
const outDir = join(root, 'release', 'linux-unpacked');
const executableName = 'gaitlab'; // linux.executableName in electron-builder.yml

// @electron/fuses finds the wire after this sentinel: version byte, length byte, one '0'/'1' per fuse.
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_NAMES = [
  'RunAsNode',
  'EnableCookieEncryption',
  'EnableNodeOptionsEnvironmentVariable',
  'EnableNodeCliInspectArguments',
  'EnableEmbeddedAsarIntegrityValidation',
  'OnlyLoadAppFromAsar',
  'LoadBrowserProcessSpecificV8Snapshot',
  'GrantFileProtocolExtraPrivileges',
];
// Electron's shipped defaults, so flipping them is visible in the packaged binary.
const STOCK_FUSES = '10110001';

function fail(message) {
  console.error(`package-dir-stub: ${message}`);
  process.exit(1);
}

function writeExecutable(path, text) {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/** The layout of electron-vX-linux-x64.zip, with scripts and placeholders instead of Chromium's binaries. */
function makeStubElectron() {
  rmSync(stubDir, { recursive: true, force: true });
  mkdirSync(join(stubDir, 'locales'), { recursive: true });
  mkdirSync(join(stubDir, 'resources'), { recursive: true });
  const refuse = (what) => `#!/bin/sh\necho "stub ${what} for Electron ${electronVersion}: the real binary could not be downloaded on this machine" >&2\nexit 1\n`;
  const wire = Buffer.concat([
    Buffer.from(refuse('electron') + `# fuse wire: ${FUSE_SENTINEL}`),
    Buffer.from([1, FUSE_NAMES.length]),
    Buffer.from(STOCK_FUSES + '\n'),
  ]);
  writeFileSync(join(stubDir, 'electron'), wire);
  chmodSync(join(stubDir, 'electron'), 0o755);
  writeExecutable(join(stubDir, 'chrome-sandbox'), refuse('chrome-sandbox'));
  writeExecutable(join(stubDir, 'chrome_crashpad_handler'), refuse('chrome_crashpad_handler'));
  writeFileSync(join(stubDir, 'version'), electronVersion);
  writeFileSync(join(stubDir, 'LICENSE'), 'Stub of the Electron LICENSE (MIT), for packaging checks only.\n');
  writeFileSync(join(stubDir, 'LICENSES.chromium.html'), '<!doctype html><title>stub</title>\n');
  for (const f of ['icudtl.dat', 'resources.pak', 'chrome_100_percent.pak', 'chrome_200_percent.pak', 'snapshot_blob.bin', 'v8_context_snapshot.bin', 'libffmpeg.so', 'locales/en-US.pak']) {
    writeFileSync(join(stubDir, f), '');
  }
}

function runElectronBuilder() {
  rmSync(outDir, { recursive: true, force: true });
  const cli = require.resolve('electron-builder/cli.js');
  const args = [
    cli,
    '--linux', 'dir',
    '--config', 'electron-builder.yml',
    `-c.electronDist=${stubDir}`,
    `-c.electronVersion=${electronVersion}`,
    '-c.npmRebuild=false',
    '--publish', 'never',
  ];
  // A dead proxy: should anything try to download (Electron, app-builder tools), it fails here instead of
  // silently succeeding on a machine that happens to have internet.
  const env = {
    ...process.env,
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    http_proxy: 'http://127.0.0.1:9',
    https_proxy: 'http://127.0.0.1:9',
    ELECTRON_GET_USE_PROXY: '1',
    GLOBAL_AGENT_HTTPS_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '',
    no_proxy: '',
    CSC_IDENTITY_AUTO_DISCOVERY: 'false',
  };
  const r = spawnSync(process.execPath, args, { cwd: root, env, stdio: ['ignore', process.stderr, process.stderr] });
  if (r.status !== 0) fail(`electron-builder exited with ${r.status ?? r.signal}`);
}

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function readFuses(binary) {
  const buf = readFileSync(binary);
  const at = buf.indexOf(FUSE_SENTINEL);
  if (at < 0) return null;
  const pos = at + FUSE_SENTINEL.length;
  const length = buf[pos + 1];
  const fuses = {};
  for (let i = 0; i < length; i++) fuses[FUSE_NAMES[i] ?? `fuse${i}`] = String.fromCharCode(buf[pos + 2 + i]);
  return fuses;
}

function inspect() {
  const asar = require('@electron/asar');
  const resources = join(outDir, 'resources');
  const appAsar = join(resources, 'app.asar');
  if (!existsSync(appAsar)) fail(`${relative(root, appAsar)} was not written`);
  const files = asar.listPackage(appAsar, { isPack: false }).map((f) => f.replace(/\\/g, '/').replace(/^\//, ''));
  const unpackedDir = join(resources, 'app.asar.unpacked');
  const unpacked = walk(unpackedDir).map((f) => relative(unpackedDir, f).replace(/\\/g, '/'));
  const extra = walk(join(resources, 'resources')).map((f) => relative(resources, f).replace(/\\/g, '/'));
  const packagedJson = JSON.parse(asar.extractFile(appAsar, 'package.json').toString('utf8'));
  const binary = join(outDir, executableName);
  const summary = {
    electronVersion,
    outDir: relative(root, outDir),
    executable: existsSync(binary) ? relative(root, binary) : null,
    appAsarBytes: statSync(appAsar).size,
    appAsarEntries: files.length,
    main: packagedJson.main,
    has: {
      electronMain: files.includes('dist/src-main/app/electron-main.js'),
      preload: files.includes('dist/src-main/app/preload.js'),
      rendererIndex: files.includes('dist/renderer/index.html'),
    },
    forbidden: files.filter((f) => /^(src-main|src-shared|src-renderer|test|bench|scripts)\//.test(f) || /\.(map|ts|tsx)$/.test(f)),
    unpackedNativeFiles: unpacked.filter((f) => f.endsWith('.node')),
    unpackedBytes: walk(unpackedDir).reduce((n, f) => n + statSync(f).size, 0),
    extraResources: extra,
    topLevelNodeModules: [...new Set(files.filter((f) => f.startsWith('node_modules/')).map((f) => f.split('/').slice(0, f.startsWith('node_modules/@') ? 3 : 2).join('/')))].sort(),
    fuses: existsSync(binary) ? readFuses(binary) : null,
  };
  const problems = [];
  if (!summary.executable) problems.push(`no ${executableName} executable in ${summary.outDir}`);
  if (!summary.has.electronMain) problems.push('app.asar lacks dist/src-main/app/electron-main.js');
  if (!summary.has.preload) problems.push('app.asar lacks dist/src-main/app/preload.js');
  if (!summary.has.rendererIndex) problems.push('app.asar lacks dist/renderer/index.html');
  if (summary.main !== 'dist/src-main/app/electron-main.js') problems.push(`packaged package.json main is ${summary.main}`);
  if (!summary.unpackedNativeFiles.some((f) => f.endsWith('better_sqlite3.node'))) problems.push('app.asar.unpacked has no better_sqlite3.node');
  if (summary.forbidden.length) problems.push(`sources or maps packaged: ${summary.forbidden.slice(0, 5).join(', ')}`);
  const sourceResources = walk(join(root, 'resources')).map((f) => 'resources/' + relative(join(root, 'resources'), f).replace(/\\/g, '/'));
  const missing = sourceResources.filter((f) => !extra.includes(f));
  if (missing.length) problems.push(`extraResources missing: ${missing.slice(0, 5).join(', ')}`);
  summary.problems = problems;
  return summary;
}

if (!existsSync(join(root, 'dist', 'src-main', 'app', 'electron-main.js'))) fail('dist/src-main is not built: run npm run build first');
if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) fail('dist/renderer is not built: run npm run build first');
makeStubElectron();
runElectronBuilder();
const summary = inspect();
process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
if (summary.problems.length) fail(summary.problems.join('; '));
