// The run-time emitted dense backward-and-update sweep, on a memory of its own, against its definition in float64.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_SWEEP_ROWS, simdDenseBackwardOn } from '../../src-main/compute/tfjs/kernels/simd-dense-backward';
import { seededRandom } from '../helpers';

// Shapes of the Horst MLPs at batch 5 (606 → 1024, 1024 → 194), tails of 1–3 columns, a single row, N < 4.
for (const [M, N, R] of [[606, 1024, 5], [1024, 194, 5], [7, 13, 3], [3, 4, 1], [5, 3, 2], [9, 8, MAX_SWEEP_ROWS]]) {
  for (const variant of ['with dA, from W', 'with dA, update from another W′ in place', 'no dA'] as const) {
    test(`sweep M ${M}, N ${N}, R ${R} (${variant}): W′ = Wsrc + u·dz and dA = dz·Wᵀ, nothing else written`, () => {
      const ldA = M + 3;
      const sizes = { w: M * N, src: M * N, dz: R * N, packed: R * 4 * Math.ceil(N / 4), u: M * R, dA: R * ldA };
      const total = Object.values(sizes).reduce((a, b) => a + b + 1, 0) + 16;
      const memory = new WebAssembly.Memory({ initial: Math.ceil((total * 4 + 4096) / 65536) });
      const heap = new Float32Array(memory.buffer);
      const rnd = seededRandom(M * 7 + N * 3 + R + variant.length);
      // Unaligned float offsets (tfjs tensors are only 4-byte aligned on its heap).
      let at = 1;
      const place = (n: number) => { const o = at; at += n + 1; return o; };
      const w = place(sizes.w), src = place(sizes.src), dz = place(sizes.dz), packed = place(sizes.packed), u = place(sizes.u), dA = place(sizes.dA);
      for (let i = 0; i < heap.length; i++) heap[i] = NaN;
      for (const [o, n] of [[w, sizes.w], [src, sizes.src], [dz, sizes.dz], [u, sizes.u]]) for (let i = 0; i < n; i++) heap[o + i] = rnd() * 2 - 1;
      const inPlace = variant === 'with dA, update from another W′ in place';
      const wSrc = inPlace ? src : w;
      const expectedW = new Float64Array(M * N);
      const expectedA = new Float64Array(R * M);
      for (let i = 0; i < M; i++) {
        for (let n = 0; n < N; n++) {
          let v = heap[wSrc + i * N + n];
          for (let r = 0; r < R; r++) {
            v += heap[u + i * R + r] * heap[dz + r * N + n];
            expectedA[r * M + i] += heap[dz + r * N + n] * heap[w + i * N + n];
          }
          expectedW[i * N + n] = v;
        }
      }
      const before = heap.slice();
      const wDst = inPlace ? src : variant === 'no dA' ? w : src;
      simdDenseBackwardOn(memory).sweep({ w: 4 * w, wSrc: 4 * wSrc, wDst: 4 * wDst, M, N, dz: 4 * dz, R, packed: 4 * packed, u: 4 * u, dA: variant === 'no dA' ? null : 4 * dA, ldA });
      let worstW = 0;
      for (let i = 0; i < M * N; i++) worstW = Math.max(worstW, Math.abs(heap[wDst + i] - expectedW[i]));
      // float32 sums of R products to values of order 1: a few ulps.
      assert.ok(worstW <= 1e-6 * (R + 1), `W′ off by ${worstW}`);
      if (variant !== 'no dA') {
        let worstA = 0;
        for (let r = 0; r < R; r++) for (let i = 0; i < M; i++) worstA = Math.max(worstA, Math.abs(heap[dA + r * ldA + i] - expectedA[r * M + i]));
        // N float32 products summed in 4 lanes: error ~ √N·ulp of the magnitude (√N here).
        assert.ok(worstA <= 1e-6 * N, `dA off by ${worstA}`);
      }
      for (let i = 0; i < heap.length; i++) {
        const written = (i >= wDst && i < wDst + M * N) || (i >= packed && i < packed + sizes.packed) || (variant !== 'no dA' && i >= dA && i < dA + sizes.dA && (i - dA) % ldA < M);
        if (!written) assert.ok(Object.is(heap[i], before[i]), `float ${i} changed`);
      }
    });
  }
}
