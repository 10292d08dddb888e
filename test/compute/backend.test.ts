// The backend choice: which tier is taken, why the others were not, and that a missing or broken optional
// backend is one line and never a crash. The "broken" package is a real module on disk that throws as a
// tfjs-node without libtensorflow does.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { backendRecord, DEFAULT_TIER_ORDER, initTfjsBackend, probeTiers, wasmBinaryFolder } from '../../src-main/compute/tfjs/backend';
import { loadOptional } from '../../src-main/compute/tfjs/optional-module';
import { REPO, tempDir } from '../helpers';
import { spawnSync } from 'node:child_process';

/** A require rooted in a folder whose node_modules holds a tfjs-node that fails as it does without libtensorflow. */
function requireWithBrokenTfjsNode(): NodeRequire {
  const root = tempDir();
  const pkg = join(root, 'node_modules', '@tensorflow', 'tfjs-node');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', main: 'index.js' }));
  writeFileSync(join(pkg, 'index.js'), "throw new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory');\n");
  return createRequire(join(root, 'index.js'));
}

test('the default order is tfjs-node-gpu, tfjs-node, wasm-blas, wasm, cpu', () => {
  assert.deepEqual([...DEFAULT_TIER_ORDER], ['tfjs-node-gpu', 'tfjs-node', 'wasm-blas', 'wasm', 'cpu']);
});

test('without the optional packages and add-on the choice falls through to wasm with GaitLab kernels and says why', async () => {
  process.env.GAITLAB_NATIVE_BLAS = join(tempDir(), 'never-built.node');
  let choice;
  try {
    choice = await initTfjsBackend({ order: DEFAULT_TIER_ORDER });
  } finally {
    delete process.env.GAITLAB_NATIVE_BLAS;
  }
  assert.equal(choice.tier, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.deepEqual(choice.tiers.slice(0, 3), [
    { tier: 'tfjs-node-gpu', available: false, detail: 'not installed (optional)' },
    { tier: 'tfjs-node', available: false, detail: 'not installed (optional)' },
    { tier: 'wasm-blas', available: false, detail: 'native BLAS add-on not built (optional: npm run build:blas)' },
  ]);
  assert.match(choice.tiers[3].detail, /^(no )?SIMD, (threads|1 thread), GaitLab kernels: BatchMatMul, _FusedMatMul, Conv2DBackpropFilter, Conv2DBackpropInput, Identity, Sum, GaitlabConv1D, GaitlabConv1DBackpropFilter, GaitlabDense(, GaitlabDenseSgdStep)?$/);
  // The fused dense step needs WebAssembly SIMD (Node 20 has it) and is registered only where it is there.
  if (choice.tiers[3].detail.startsWith('SIMD')) assert.match(choice.tiers[3].detail, /, GaitlabDenseSgdStep$/);
  assert.deepEqual(backendRecord(), { tier: 'wasm', backend: 'wasm', tfjsVersion: tf.version.tfjs, gaitlabKernels: choice.gaitlabKernels });
});

test('an installed but broken tfjs-node is reported in one line and the next tier is taken', async () => {
  const choice = await initTfjsBackend({ order: ['tfjs-node', 'cpu'], requireFn: requireWithBrokenTfjsNode() });
  assert.equal(choice.tier, 'cpu');
  assert.deepEqual(choice.tiers[0], {
    tier: 'tfjs-node',
    available: false,
    detail: 'failed to load: libtensorflow.so.2: cannot open shared object file: No such file or directory',
  });
});

test('loadOptional tells a missing package from one whose own dependency is missing', () => {
  const missing = loadOptional('@tensorflow/tfjs-node-gpu');
  assert.deepEqual(missing, { loaded: false, missing: true, reason: 'not installed (optional)' });
  const root = tempDir();
  const pkg = join(root, 'node_modules', 'half-installed');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'index.js'), "require('some-native-dependency');\n");
  const broken = loadOptional('half-installed', createRequire(join(root, 'index.js')));
  assert.equal(broken.loaded, false);
  assert.ok(!broken.loaded && !broken.missing && broken.reason === "failed to load: Cannot find module 'some-native-dependency'", JSON.stringify(broken));
});

test('the wasm binaries are read from node_modules', () => {
  assert.match(wasmBinaryFolder(), /node_modules[\\/]@tensorflow[\\/]tfjs-backend-wasm[\\/]dist[\\/]$/);
});

test('an unknown GAITLAB_TFJS_BACKEND is refused by name', async () => {
  process.env.GAITLAB_TFJS_BACKEND = 'cuda';
  try {
    await assert.rejects(initTfjsBackend(), /^Error: GAITLAB_TFJS_BACKEND: unknown backend "cuda" \(expected one of tfjs-node-gpu, tfjs-node, webgpu, wasm-blas, wasm, cpu\)$/);
  } finally {
    delete process.env.GAITLAB_TFJS_BACKEND;
  }
});

test('GAITLAB_TFJS_BACKEND puts the asked-for tier first and falls back to wasm when it is missing', async () => {
  process.env.GAITLAB_TFJS_BACKEND = 'tfjs-node';
  try {
    const choice = await initTfjsBackend();
    assert.deepEqual(choice.tiers.map((t) => t.tier), ['tfjs-node', 'wasm']);
    assert.equal(choice.tier, 'wasm');
    process.env.GAITLAB_TFJS_BACKEND = 'cpu';
    assert.equal((await initTfjsBackend()).tier, 'cpu');
  } finally {
    delete process.env.GAITLAB_TFJS_BACKEND;
  }
});

test('probeTiers reports every tier, WebGPU included, and restores the backend in use', async () => {
  await initTfjsBackend({ order: ['cpu'] });
  const tiers = await probeTiers();
  assert.equal(tf.getBackend(), 'cpu');
  assert.deepEqual(tiers.map((t) => t.tier), ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm-blas', 'wasm', 'cpu']);
  assert.deepEqual(tiers[2], { tier: 'webgpu', available: false, detail: 'webgpu (Dawn) not installed (optional)' });
  assert.equal(tiers[4].available, true);
});

test('WebGPU where Dawn finds no adapter says "no GPU adapter" and the next tier is taken', async () => {
  // A machine without a GPU, as the webgpu package (Dawn) reports it: create() works, requestAdapter() gives null.
  const root = tempDir();
  const dawn = join(root, 'node_modules', 'webgpu');
  const backend = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-webgpu');
  mkdirSync(dawn, { recursive: true });
  mkdirSync(backend, { recursive: true });
  writeFileSync(join(dawn, 'index.js'), 'exports.globals = {};\nexports.create = () => ({ requestAdapter: async () => null });\n');
  writeFileSync(join(backend, 'index.js'), '// the package is present; no backend is registered without an adapter\n');
  const requireFn = createRequire(join(root, 'index.js'));
  const choice = await initTfjsBackend({ order: ['webgpu', 'wasm'], requireFn });
  assert.equal(choice.tier, 'wasm');
  assert.deepEqual(choice.tiers[0], { tier: 'webgpu', available: false, detail: 'no GPU adapter' });
});

test('registering GaitLab kernels before the wasm backend is initialised is refused in one line (fresh process)', () => {
  const script = join(tempDir(), 'early.ts');
  writeFileSync(script, `import { registerGaitlabKernels } from ${JSON.stringify(join(REPO, 'src-main/compute/tfjs/kernels/register'))};\nregisterGaitlabKernels();\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', cwd: REPO });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /Error: registerGaitlabKernels: initialise the wasm backend first \(initTfjsBackend\)/);
});
