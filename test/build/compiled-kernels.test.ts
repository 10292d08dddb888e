// The compiled build (dist/, what `gaitlab`, the app and its job workers run) gets the same WebAssembly SIMD
// kernels as the TypeScript sources under tsx. It once did not: TypeScript's CommonJS output rewrote the encoder's
// reference to its own exported `op` as `exports.op`, which a local variable named `exports` shadowed, so every
// module the encoder made threw and LRP's products and the tfjs SIMD kernels fell back to slower paths in dist only
// (`explain --all` of a cnn-c3 model: 19.7 s against 1.5 s from the sources). Runs dist with plain node, no tsx.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const REPO = join(__dirname, '..', '..');
const CLI = join(REPO, 'dist', 'src-main', 'cli', 'main.js');

test('the compiled CLI: LRP on WebAssembly SIMD, and the wasm tier with every GaitLab kernel, the SIMD-only ones included', () => {
  assert.ok(existsSync(CLI), 'the CLI is not built: npm run build (npm test does it first)');
  const r = spawnSync(process.execPath, [CLI, 'doctor', '--json'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { lrp: { kernel: string; reason?: string }; tfjs: { tier: string; available: boolean; detail: string }[] };
  const wasm = out.tfjs.find((t) => t.tier === 'wasm');
  assert.ok(wasm?.available, wasm?.detail);
  assert.match(wasm.detail, /GaitLab kernels: .*\bGaitlabDenseSgdStep\b/, 'the fused dense SGD step (SIMD only) is missing');
  assert.deepEqual(out.lrp, { kernel: 'wasm-simd' }, `LRP fell back: ${out.lrp?.reason}`);
});

test('the compiled encoder makes valid modules (plain node, no tsx)', () => {
  const script = `const { encodeModule, op, I32 } = require(${JSON.stringify(join(REPO, 'dist', 'src-shared', 'wasm', 'encoder.js'))});
    const bytes = encodeModule([{ exportName: 'f', params: [I32], locals: [], body: [] }]);
    process.stdout.write(String(WebAssembly.validate(bytes)));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'true');
});
