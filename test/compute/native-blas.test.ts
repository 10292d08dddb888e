// The optional native tier, built for real by scripts/build-native-blas.mjs into a temporary folder. Where this
// machine cannot build it (no compiler, OpenBLAS or Node headers) the script says why and these tests are skipped
// with that reason; the portable wasm tier is tested everywhere by the other files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { activeNativeBlas, useNativeBlas } from '../../src-main/compute/tfjs/kernels/wasm-kernel-api';
import { loadNativeBlas, type NativeBlas } from '../../src-main/compute/tfjs/native-blas';
import { conv1dBiasActivation } from '../../src-main/compute/tfjs/ops/conv1d-bias-activation';
import { REPO, seededRandom, tempDir } from '../helpers';

const outDir = tempDir('gaitlab-blas-');
const build = spawnSync(process.execPath, [join(REPO, 'scripts', 'build-native-blas.mjs'), '--out', outDir], { encoding: 'utf8' });
const file = join(outDir, 'gaitlab-blas.node');
const built = build.status === 0 && build.stdout.startsWith('native BLAS built:');
const skip = built ? false : `the add-on does not build here: ${build.stdout.trim() || build.stderr.trim()}`;

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const rnd = seededRandom(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rnd() * 2 - 1), shape);
}

describe('native BLAS tier', { skip }, () => {
  let blas: NativeBlas;
  before(() => {
    const load = loadNativeBlas(file);
    assert.ok(load.loaded, load.loaded ? '' : load.reason);
    blas = load.blas;
  });

  test('the build script exits 0 and names the file it built', () => {
    assert.equal(build.stdout.trim(), `native BLAS built: ${file}`);
  });

  for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
    test(`sgemm in place on a wasm memory, transA ${transA}, transB ${transB}, with beta 1 accumulating, equals the definition`, () => {
      const [M, N, K] = [5, 19, 33];
      const memory = new WebAssembly.Memory({ initial: 1 });
      const heap = new Float32Array(memory.buffer);
      const rnd = seededRandom(1);
      const [a, b, c] = [4, 4 + M * K + 4, 8 + M * K + K * N];
      for (let i = 0; i < M * K + K * N + 8; i++) heap[a + i] = rnd() - 0.5;
      for (let i = 0; i < M * N; i++) heap[c + i] = 1;
      const lda = transA ? M : K;
      const ldb = transB ? K : N;
      blas.sgemm(memory.buffer, transA, transB, M, N, K, a * 4, lda, b * 4, ldb, c * 4, N, 1);
      for (let m = 0; m < M; m++)
        for (let n = 0; n < N; n++) {
          let s = 1;
          for (let k = 0; k < K; k++) s += heap[a + (transA ? k * M + m : m * K + k)] * heap[b + (transB ? n * K + k : k * N + n)];
          assert.ok(Math.abs(s - heap[c + m * N + n]) < 1e-5, `C[${m}][${n}]`);
        }
    });
  }

  test('a matrix outside the buffer is refused, not written', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    assert.throws(() => blas.sgemm(memory.buffer, false, false, 4, 4, 4, 0, 4, 65536 - 32, 4, 64, 4, 0), /^RangeError: gaitlab-blas: a matrix lies outside the buffer or is not 4-byte aligned$/);
    assert.throws(() => blas.sgemm(memory.buffer, false, false, 4, 4, 4, 0, 3, 64, 4, 128, 4, 0), /^RangeError: gaitlab-blas: a leading dimension is smaller than its row$/);
  });

  describe('as a tfjs tier', () => {
    before(async () => {
      process.env.GAITLAB_NATIVE_BLAS = file;
      const choice = await initTfjsBackend({ order: ['wasm-blas'] });
      assert.equal(choice.tier, 'wasm-blas');
      assert.match(choice.tiers[0].detail, /products on OpenBLAS [\d.]+ \(1 thread\)$/);
    });
    after(async () => {
      delete process.env.GAITLAB_NATIVE_BLAS;
      await initTfjsBackend({ order: ['wasm'] });
      assert.equal(activeNativeBlas(), null, 'choosing the plain wasm tier turns the add-on off');
    });

    test('dense and conv1d gradients on wasm-blas equal the cpu backend', () => {
      const x = randomTensor([5, 60], 2) as tf.Tensor2D;
      const w = randomTensor([60, 40], 3) as tf.Tensor2D;
      const b = randomTensor([40], 4);
      const xc = randomTensor([5, 101, 6], 5) as tf.Tensor3D;
      const wc = randomTensor([7, 6, 32], 6) as tf.Tensor3D;
      const bc = randomTensor([32], 7) as tf.Tensor1D;
      const grads = () => [
        ...tf.grads((wv: tf.Tensor, bv: tf.Tensor) => tf.sum(tf.square(tf.fused.matMul({ a: x, b: wv as tf.Tensor2D, bias: bv, activation: 'relu' }))))([w, b]),
        ...tf.grads((xv: tf.Tensor, wv: tf.Tensor) => tf.sum(tf.square(conv1dBiasActivation({ x: xv as tf.Tensor3D, filter: wv as tf.Tensor3D, bias: bc, activation: 'relu' }))))([xc, wc]),
      ].map((g) => g.dataSync() as Float32Array);
      assert.ok(activeNativeBlas());
      const onBlas = tf.tidy(grads);
      tf.setBackend('cpu');
      const onCpu = tf.tidy(grads);
      tf.setBackend('wasm');
      onBlas.forEach((g, i) => {
        let worst = 0;
        for (let j = 0; j < g.length; j++) worst = Math.max(worst, Math.abs(g[j] - onCpu[i][j]) / Math.max(1, Math.abs(onCpu[i][j])));
        assert.ok(worst < 1e-4, `gradient ${i}: ${worst}`);
      });
      tf.dispose([x, w, b, xc, wc, bc]);
    });

    // native-conv1d.ts: a stride-1 conv1d (SincPD's conv_1 and conv_2 shape, scaled down) goes to OpenBLAS one
    // product per tap both ways; the batch rows meet at window positions t ≥ outWidth, which must be dropped.
    for (const [pad, activation, width] of [['valid', 'linear', 23], ['valid', 'relu', 24], ['same', 'relu', 23], ['same', 'linear', 9]] as const) {
      test(`conv1d stride 1, ${pad}, ${activation}, width ${width}: forward on ${3} OpenBLAS products, values and gradients equal the cpu backend and plain wasm`, async () => {
        const xc = randomTensor([4, width, 50], 11) as tf.Tensor3D;
        const wc = randomTensor([3, 50, 16], 12) as tf.Tensor3D;
        const bc = randomTensor([16], 13) as tf.Tensor1D;
        const upstream = randomTensor([4, pad === 'valid' ? width - 2 : width, 16], 14);
        const run = () => tf.tidy(() => {
          const f = (xv: tf.Tensor, wv: tf.Tensor, bv: tf.Tensor) => tf.sum(tf.mul(conv1dBiasActivation({ x: xv as tf.Tensor3D, filter: wv as tf.Tensor3D, bias: bv as tf.Tensor1D, pad, activation }), upstream));
          const y = conv1dBiasActivation({ x: xc, filter: wc, bias: bc, pad, activation });
          return [y, ...tf.grads(f)([xc, wc, bc])].map((t) => t.dataSync() as Float32Array);
        });
        const blas = activeNativeBlas()!;
        const calls: number[][] = [];
        // The add-on's own functions are read-only properties: a counting stand-in delegates to them.
        useNativeBlas({
          sgemm: (...args: Parameters<NativeBlas['sgemm']>) => { calls.push(args.slice(3, 6) as number[]); blas.sgemm(...args); },
          setThreads: (n) => blas.setThreads(n), threads: () => blas.threads(), describe: () => blas.describe(),
        });
        let onBlas: Float32Array[];
        try {
          tf.tidy(() => conv1dBiasActivation({ x: xc, filter: wc, bias: bc, pad, activation }).dataSync());
          const Wp = width + (pad === 'same' ? 2 : 0);
          assert.deepEqual(calls, [0, 1, 2].map(() => [4 * Wp - 2, 16, 50]), 'the forward is three products over the whole batch');
          onBlas = run();
        } finally {
          useNativeBlas(blas);
        }
        tf.setBackend('cpu');
        const onCpu = run();
        tf.setBackend('wasm');
        await initTfjsBackend({ order: ['wasm'] });
        const onWasm = run();
        await initTfjsBackend({ order: ['wasm-blas'] });
        assert.ok(activeNativeBlas());
        ['y', 'dx', 'dW', 'dBias'].forEach((name, i) => {
          for (const [other, label] of [[onCpu, 'cpu'], [onWasm, 'wasm']] as const) {
            assert.equal(onBlas[i].length, other[i].length);
            let worst = 0;
            for (let j = 0; j < onBlas[i].length; j++) worst = Math.max(worst, Math.abs(onBlas[i][j] - other[i][j]) / Math.max(1, Math.abs(other[i][j])));
            // Sums of 150 products of values in [−1, 1] (forward) and of up to 4·23 (filter gradient): float32
            // rounding in another order leaves differences of a few 1e-7 relative to the terms' scale.
            assert.ok(worst < 1e-5, `${name} against ${label}: ${worst}`);
          }
        });
        tf.dispose([xc, wc, bc, upstream]);
      });
    }
  });
});
