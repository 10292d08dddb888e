#!/usr/bin/env node
// Runs the compiled CLI (dist/), or the TypeScript sources through tsx when there is no build or the
// build is older than the sources (a checkout being worked on).
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const root = join(__dirname, '..');
const compiled = join(root, 'dist', 'src-main', 'cli', 'main.js');

function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function useCompiled() {
  if (!existsSync(compiled)) return false;
  const built = statSync(compiled).mtimeMs;
  return newestSource(join(root, 'src-main')) <= built && newestSource(join(root, 'src-shared')) <= built;
}

let cli;
if (useCompiled()) {
  cli = require(compiled);
} else {
  require('tsx/cjs');
  cli = require(join(root, 'src-main', 'cli', 'main.ts'));
}
cli.runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });
