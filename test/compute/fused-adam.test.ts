// FusedAdam against tf.train.adam, the optimiser it replaces: the same weights after many steps, bit for bit (every
// step of tfjs's formula is a float32 operation, and a float32 operation done in float64 and rounded once is the
// float32 result), on wasm where it is one loop per variable and on cpu where it is tf.train.adam.
// And SincPD's training step with it against the step it replaced (optimizer.minimize with tf.train.adam) on real
// gaitpdb segments.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { adamStepInto, FusedAdam } from '../../src-main/compute/tfjs/fused-adam';
import { simdAdamFor, simdAdamOn } from '../../src-main/compute/tfjs/kernels/simd-adam';
import { buildSincPdModel, defaultArchitecture, readNamedWeights } from '../../src-main/methods/sincpd/model';
import { l2Penalty, lossOf, trainingStep } from '../../src-main/methods/sincpd/train';
import { gaitpdbSegments, interleave } from '../methods/sincpd/gaitpdb-segments';
import { seededRandom } from '../helpers';

before(async () => {
  assert.equal((await initTfjsBackend({ order: ['wasm'] })).backend, 'wasm');
});

function values(shape: number[], seed: number, scale = 1): Float32Array {
  const rnd = seededRandom(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rnd() * 2 - 1) * scale);
}

/** A small least-squares problem with three variables of different shapes (one of 7 values: no SIMD-width multiple). */
function problem(prefix: string) {
  const shapes = [[40, 30], [30], [7]];
  const vars = shapes.map((s, i) => tf.tidy(() => tf.variable(tf.tensor(values(s, 10 + i, 0.5), s), true, `${prefix}_${i}`)));
  const x = tf.tensor2d(values([64, 40], 20), [64, 40]);
  const target = tf.tensor2d(values([64, 30], 21), [64, 30]);
  // Gradients that span orders of magnitude (the 7-vector's are tiny) so ε and the bias corrections matter.
  const loss = () => tf.add(tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, vars[0]), vars[1]), target))), tf.mul(1e-6, tf.sum(tf.square(vars[2])))) as tf.Scalar;
  return { vars, loss, dispose: () => tf.dispose([...vars, x, target]) };
}

test('the SIMD kernel equals the JS loop bit for bit (moments and weights), on values from 1e-30 to 1e3, and is what wasm uses', () => {
  assert.ok(simdAdamFor(tf.backend() as unknown as Parameters<typeof simdAdamFor>[0]), 'WebAssembly SIMD reachable on the tfjs heap');
  const n = 1003, groups = Math.floor(n / 4);
  const memory = new WebAssembly.Memory({ initial: 2 });
  const heap = new Float32Array(memory.buffer);
  const rnd = seededRandom(5);
  const wide = () => (rnd() < 0.5 ? -1 : 1) * 10 ** (rnd() * 33 - 30);
  const [w, wOut, m, v, g] = [0, 1, 2, 3, 4].map((k) => k * 1024);
  for (let i = 0; i < n; i++) { heap[w + i] = wide(); heap[m + i] = wide(); heap[v + i] = Math.abs(wide()); heap[g + i] = wide(); }
  const ref = { w: heap.slice(w, w + n), m: heap.slice(m, m + n), v: heap.slice(v, v + n), g: heap.slice(g, g + n) };
  const f = Math.fround;
  const s = { beta1: f(0.9), beta2: f(0.999), oneMinusBeta1: f(1 - 0.9), oneMinusBeta2: f(1 - 0.999), correction1: f(1 - f(0.9 * 0.9)), correction2: f(1 - f(0.999 * 0.999)), negativeLearningRate: f(-1e-3), epsilon: f(1e-7) };
  const refOut = new Float32Array(n);
  adamStepInto(refOut, ref.w, ref.m, ref.v, ref.g, s);
  simdAdamOn(memory)(4 * w, 4 * wOut, 4 * m, 4 * v, 4 * g, groups, s.beta1, s.beta2, s.oneMinusBeta1, s.oneMinusBeta2, s.correction1, s.correction2, s.negativeLearningRate, s.epsilon);
  for (let i = 0; i < 4 * groups; i++) {
    assert.ok(Object.is(heap[wOut + i], refOut[i]), `w[${i}]: ${heap[wOut + i]} vs ${refOut[i]}`);
    assert.ok(Object.is(heap[m + i], ref.m[i]) && Object.is(heap[v + i], ref.v[i]), `m, v[${i}]`);
  }
  assert.equal(heap[wOut + 4 * groups], 0, 'the kernel stops at the last whole group of 4');
});

for (const backend of ['wasm', 'cpu'] as const) {
  test(`on ${backend}: 25 steps of FusedAdam give tf.train.adam's weights bit for bit (lr 1e-2, β 0.9/0.999, ε 1e-7)${backend === 'wasm' ? ' in its fused loop' : ''}`, () => {
    assert.ok(tf.setBackend(backend));
    const heapBefore = tf.backend().numDataIds();
    const ours = problem(`ours_${backend}`), theirs = problem(`theirs_${backend}`);
    const adam = new FusedAdam(1e-2, 0.9, 0.999, 1e-7);
    const reference = tf.train.adam(1e-2, 0.9, 0.999, 1e-7);
    assert.equal(adam.fused, backend === 'wasm');
    try {
      for (let step = 0; step < 25; step++) {
        tf.tidy(() => {
          const { grads } = tf.variableGrads(ours.loss, ours.vars);
          adam.applyGradients(ours.vars, grads);
        });
        reference.minimize(theirs.loss, false, theirs.vars);
      }
      ours.vars.forEach((v, i) => {
        const a = v.dataSync(), b = theirs.vars[i].dataSync();
        const moved = b.some((value, j) => value !== values(v.shape, 10 + i, 0.5)[j]);
        assert.ok(moved, `variable ${i} moved`);
        for (let j = 0; j < a.length; j++) assert.equal(a[j], b[j], `variable ${i}[${j}]`);
      });
    } finally {
      adam.dispose();
      reference.dispose();
      ours.dispose();
      theirs.dispose();
      assert.equal(tf.backend().numDataIds(), heapBefore, 'no memory left behind (moments, old weights)');
      tf.setBackend('wasm');
    }
  });
}

test('SincPD trainingStep (FusedAdam) gives the weights and losses of optimizer.minimize with tf.train.adam, 3 steps on real gaitpdb segments', async () => {
  const data = interleave(gaitpdbSegments([{ file: 'GaCo01_01.txt.gz', label: 0 }, { file: 'GaPt03_01.txt.gz', label: 1 }], 6));
  const arch = defaultArchitecture('pd', 'sincnet-gait', 6);
  const ours = buildSincPdModel(arch, 7), theirs = buildSincPdModel(arch, 7);
  const stepper = trainingStep(ours, arch, 1e-3);
  const optimizer = tf.train.adam(1e-3, 0.9, 0.999, 1e-7);
  const vars = theirs.trainableWeights.map((w) => w.read() as tf.Variable);
  const b = 4;
  try {
    for (let step = 0; step < 3; step++) {
      const xb = data.x.subarray(step * b * 8000, (step + 1) * b * 8000);
      const yb = Float32Array.from(data.y.subarray(step * b, (step + 1) * b));
      const lossOurs = await stepper.step(xb, yb);
      const lossTheirs = tf.tidy(() => {
        const x = tf.tensor3d(xb, [b, 8, 1000]), y = tf.tensor1d(yb);
        return optimizer.minimize(() => tf.add(lossOf(arch, theirs.apply(x, { training: true }) as tf.Tensor, y), l2Penalty(theirs)) as tf.Scalar, true, vars)!.dataSync()[0];
      });
      assert.equal(lossOurs, lossTheirs, `loss of step ${step + 1}`);
    }
    const a = readNamedWeights(ours), c = readNamedWeights(theirs);
    assert.equal(a.length, c.length);
    a.forEach((w, i) => {
      assert.equal(w.name, c[i].name);
      for (let j = 0; j < w.values.length; j++) assert.equal(w.values[j], c[i].values[j], `${w.name}[${j}]`);
    });
  } finally {
    stepper.dispose();
    optimizer.dispose();
    ours.dispose();
    theirs.dispose();
  }
});
