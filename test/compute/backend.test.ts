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
import { tempDir } from '../helpers';

/** A require rooted in a folder whose node_modules holds a tfjs-node that fails as it does without libtensorflow. */
function requireWithBrokenTfjsNode(): NodeRequire {
  const root = tempDir();
  const pkg = join(root, 'node_modules', '@tensorflow', 'tfjs-node');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', main: 'index.js' }));
  writeFileSync(join(pkg, 'index.js'), "throw new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory');\n");
  return createRequire(join(root, 'index.js'));
}

test('the default order is tfjs-node-gpu, tfjs-node, wasm, cpu', () => {
  assert.deepEqual([...DEFAULT_TIER_ORDER], ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
});

test('without the optional packages the choice falls through to wasm with GaitLab kernels and says why', async () => {
  const choice = await initTfjsBackend({ order: DEFAULT_TIER_ORDER });
  assert.equal(choice.tier, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.deepEqual(choice.tiers.slice(0, 2), [
    { tier: 'tfjs-node-gpu', available: false, detail: 'not installed (optional)' },
    { tier: 'tfjs-node', available: false, detail: 'not installed (optional)' },
  ]);
  assert.match(choice.tiers[2].detail, /^(no )?SIMD, (threads|1 thread), GaitLab kernels: BatchMatMul, _FusedMatMul, Conv2DBackpropFilter, Conv2DBackpropInput, Identity$/);
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
    await assert.rejects(initTfjsBackend(), /^Error: GAITLAB_TFJS_BACKEND: unknown backend "cuda" \(expected one of tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu\)$/);
  } finally {
    delete process.env.GAITLAB_TFJS_BACKEND;
  }
});

test('probeTiers reports every tier, WebGPU included, and restores the backend in use', async () => {
  await initTfjsBackend({ order: ['cpu'] });
  const tiers = await probeTiers();
  assert.equal(tf.getBackend(), 'cpu');
  assert.deepEqual(tiers.map((t) => t.tier), ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'wasm', 'cpu']);
  assert.deepEqual(tiers[2], { tier: 'webgpu', available: false, detail: 'webgpu (Dawn) not installed (optional)' });
  assert.equal(tiers[3].available, true);
});
