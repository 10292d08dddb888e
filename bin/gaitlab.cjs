#!/usr/bin/env node
// Runs the compiled CLI (dist/), or the TypeScript sources through tsx in a checkout without a build.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const compiled = join(__dirname, '..', 'dist', 'src-main', 'cli', 'main.js');
let cli;
if (existsSync(compiled)) {
  cli = require(compiled);
} else {
  require('tsx/cjs');
  cli = require(join(__dirname, '..', 'src-main', 'cli', 'main.ts'));
}
cli.runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });
