#!/usr/bin/env node
// Builds GaitLab's optional native BLAS tier (native/gaitlab-blas.c) with the system C compiler against the system
// OpenBLAS and Node's own N-API headers: no download, no node-gyp. Where something is missing it says what and
// exits 0, since the portable wasm tier needs none of it. Usage: npm run build:blas [-- --out DIR]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const outDir = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(root, '.native');
const out = join(outDir, 'gaitlab-blas.node');

function say(line) {
  process.stdout.write(`${line}\n`);
}

// Node's headers: beside the running node (official tarballs: <prefix>/include/node) or Debian's nodejs-dev.
const headerDirs = [join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node'];
const nodeHeaders = headerDirs.find((d) => existsSync(join(d, 'node_api.h')));
if (!nodeHeaders) {
  say(`native BLAS not built: no node_api.h (looked in ${headerDirs.join(', ')}; Debian: apt-get install libnode-dev)`);
  process.exit(0);
}
const cc = process.env.CC || 'cc';
const probe = spawnSync(cc, ['--version'], { encoding: 'utf8' });
if (probe.status !== 0) {
  say(`native BLAS not built: no C compiler (${cc})`);
  process.exit(0);
}
mkdirSync(outDir, { recursive: true });
const args = ['-O2', '-shared', '-fPIC', '-std=c11', `-I${nodeHeaders}`, '-DNODE_GYP_MODULE_NAME=gaitlab_blas', join(root, 'native', 'gaitlab-blas.c'), '-o', out, '-lopenblas'];
const r = spawnSync(cc, args, { encoding: 'utf8' });
if (r.status !== 0) {
  const first = (r.stderr || '').split('\n').find((l) => /error/.test(l)) ?? r.stderr.trim().split('\n')[0];
  say(`native BLAS not built: ${cc} failed: ${first} (Debian: apt-get install libopenblas-dev)`);
  process.exit(0);
}
say(`native BLAS built: ${out}`);
