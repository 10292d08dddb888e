// `electron-builder --linux dir` with electron-builder.yml against a stub Electron distribution (the real
// binary cannot be downloaded on these machines): what ends up in the package, read back with @electron/asar.
// Builds dist/ first when it is missing. Runs in well under a minute; the build adds ~10 s when needed.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as asar from '@electron/asar';

const root = join(__dirname, '..', '..');
const unpackedApp = join(root, 'release', 'linux-unpacked');
const resourcesDir = join(unpackedApp, 'resources');
const appAsar = join(resourcesDir, 'app.asar');

interface PackageSummary {
  electronVersion: string;
  appAsarBytes: number;
  appAsarEntries: number;
  unpackedNativeFiles: string[];
  unpackedBytes: number;
  extraResources: string[];
  fuses: Record<string, string> | null;
  problems: string[];
}

function run(what: string, args: string[]): string {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `${what} failed (exit ${r.status}):\n${r.stderr.slice(-4000)}`);
  return r.stdout;
}

function files(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files(p, out);
    else out.push(p);
  }
  return out;
}

describe('electron-builder --linux dir against a stub Electron', { timeout: 120_000 }, () => {
  let summary: PackageSummary;
  let entries: string[];

  before(() => {
    if (!existsSync(join(root, 'dist', 'src-main', 'app', 'electron-main.js')) || !existsSync(join(root, 'dist', 'src-main', 'app', 'preload.js'))) {
      run('tsc -p tsconfig.json', [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json']);
    }
    if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
      run('vite build', [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build']);
    }
    summary = JSON.parse(run('scripts/package-dir-stub.mjs', [join(root, 'scripts', 'package-dir-stub.mjs')])) as PackageSummary;
    entries = asar.listPackage(appAsar, { isPack: false }).map((f) => f.replace(/\\/g, '/').replace(/^\//, ''));
  });

  test('the script reports no problems', () => {
    assert.deepEqual(summary.problems, []);
  });

  test('app.asar holds the compiled main, preload and renderer, and a package.json whose main is electron-main.js', () => {
    for (const f of ['package.json', 'dist/src-main/app/electron-main.js', 'dist/src-main/app/preload.js', 'dist/src-main/app/ipc-bridge.js', 'dist/renderer/index.html']) {
      assert.ok(entries.includes(f), `app.asar has ${f}`);
    }
    const pkg = JSON.parse(asar.extractFile(appAsar, 'package.json').toString('utf8')) as { main: string };
    assert.equal(pkg.main, 'dist/src-main/app/electron-main.js');
    assert.ok(entries.some((f) => /^dist\/renderer\/assets\/index-[\w-]+\.js$/.test(f)), 'the renderer bundle is packaged');
  });

  test('TensorFlow.js is packaged as Node loads it: the node bundles and the wasm binaries, no browser bundles', () => {
    for (const f of ['tfjs/dist/tf.node.js', 'tfjs-core/dist/tf-core.node.js', 'tfjs-layers/dist/tf-layers.node.js', 'tfjs-backend-cpu/dist/tf-backend-cpu.node.js',
      'tfjs-backend-wasm/dist/tf-backend-wasm.node.js', 'tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm']) {
      assert.ok(entries.includes(`node_modules/@tensorflow/${f}`), `app.asar has @tensorflow/${f}`);
    }
    assert.deepEqual(entries.filter((f) => /^node_modules\/@tensorflow\/[^/]+\/dist\/.*\.(min\.js|es2017\.js|esm\.js)$/.test(f)), []);
  });

  test('no sources, tests, bench, scripts, source maps or dev-only packages are packaged', () => {
    const forbidden = entries.filter(
      (f) =>
        /^(src-main|src-shared|src-renderer|test|bench|scripts|release|\.tmp)(\/|$)/.test(f) ||
        /\.(map|ts|tsx)$/.test(f) ||
        /^node_modules\/(electron|electron-builder|typescript|vite|tsx|playwright-core|@types)(\/|$)/.test(f),
    );
    assert.deepEqual(forbidden, []);
    assert.ok(!entries.includes('electron-builder.yml'));
  });

  test('better-sqlite3 is unpacked next to app.asar with its .node file, and marked unpacked in the archive', () => {
    const node = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    assert.ok(existsSync(join(resourcesDir, 'app.asar.unpacked', node)), `app.asar.unpacked/${node} exists`);
    assert.equal((asar.statFile(appAsar, node) as { unpacked?: boolean }).unpacked, true);
    assert.ok(summary.unpackedNativeFiles.includes(node));
    // Only the runtime binding: no object files, static library or test extension from the source build.
    assert.deepEqual(summary.unpackedNativeFiles.filter((f) => f.startsWith('node_modules/better-sqlite3/')), [node]);
    assert.ok(!entries.some((f) => f.startsWith('node_modules/better-sqlite3/deps/') || f.endsWith('.a')));
  });

  test("serialport's binding package is unpacked with this platform's prebuild", () => {
    const prebuild = 'node_modules/@serialport/bindings-cpp/prebuilds/linux-x64/@serialport+bindings-cpp.glibc.node';
    assert.ok(existsSync(join(resourcesDir, 'app.asar.unpacked', prebuild)));
    assert.ok(existsSync(join(resourcesDir, 'app.asar.unpacked', 'node_modules/@serialport/bindings-cpp/dist/index.js')));
    assert.ok(!summary.unpackedNativeFiles.some((f) => f.includes('/prebuilds/android-')));
  });

  test('every file of resources/ is packaged under process.resourcesPath/resources, where findResourcesDir looks', (t) => {
    const source = files(join(root, 'resources')).map((f) => relative(root, f).replace(/\\/g, '/'));
    const packaged = files(join(resourcesDir, 'resources')).map((f) => relative(resourcesDir, f).replace(/\\/g, '/'));
    assert.deepEqual(packaged.sort(), source.sort());
    if (existsSync(join(root, 'resources', 'demo'))) {
      assert.ok(statSync(join(resourcesDir, 'resources', 'demo')).isDirectory());
    } else {
      t.diagnostic('resources/demo is not in this checkout yet: only the resources/ → resources/resources mapping was checked');
    }
  });

  test('the executable is renamed to gaitlab and its fuses are flipped (no RunAsNode, NODE_OPTIONS or --inspect; asar only)', () => {
    const exe = join(unpackedApp, 'gaitlab');
    assert.ok(existsSync(exe));
    assert.ok((statSync(exe).mode & 0o111) !== 0, 'gaitlab is executable');
    assert.ok(!existsSync(join(unpackedApp, 'electron')));
    assert.ok(existsSync(join(unpackedApp, 'LICENSE.electron.txt')), "Electron's licence is kept beside the binary");
    assert.deepEqual(summary.fuses, {
      RunAsNode: '0',
      EnableCookieEncryption: '1',
      EnableNodeOptionsEnvironmentVariable: '0',
      EnableNodeCliInspectArguments: '0',
      EnableEmbeddedAsarIntegrityValidation: '1',
      OnlyLoadAppFromAsar: '1',
      LoadBrowserProcessSpecificV8Snapshot: '0',
      GrantFileProtocolExtraPrivileges: '1',
    });
    assert.equal(readFileSync(join(unpackedApp, 'version'), 'utf8'), summary.electronVersion);
  });

  test('sizes stay plausible: app.asar between 1 and 60 MB, the unpacked native code under 20 MB', (t) => {
    t.diagnostic(`app.asar ${(summary.appAsarBytes / 1e6).toFixed(1)} MB, ${summary.appAsarEntries} entries; app.asar.unpacked ${(summary.unpackedBytes / 1e6).toFixed(1)} MB`);
    assert.ok(summary.appAsarBytes > 1e6 && summary.appAsarBytes < 60e6, `app.asar is ${summary.appAsarBytes} bytes`);
    assert.ok(summary.unpackedBytes < 20e6, `app.asar.unpacked is ${summary.unpackedBytes} bytes`);
  });
});
