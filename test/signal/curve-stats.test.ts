import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../src-shared/random';
import { blockMeanSd, curveMeanSd } from '../../src-shared/signal/curve-stats';

test('point-wise mean and sample SD of curves; one curve has SD 0; none gives null', () => {
  const s = curveMeanSd([[1, 2, 3], [3, 2, 1], [2, 2, 8]])!;
  assert.deepEqual(Array.from(s.mean), [2, 2, 4]);
  assert.deepEqual(Array.from(s.sd), [1, 0, Math.sqrt(((3 - 4) ** 2 + (1 - 4) ** 2 + (8 - 4) ** 2) / 2)]);
  assert.equal(s.n, 3);
  assert.deepEqual(Array.from(curveMeanSd([Float32Array.of(5, 6)])!.sd), [0, 0]);
  assert.equal(curveMeanSd([]), null);
});

test('many curves (the four-at-a-time sweeps and their remainder) agree with the textbook two-pass formula, also near 1 000 N', () => {
  const rnd = seededRandom(22);
  for (const n of [4, 5, 7, 190]) {
    // Forces of ~1 000 N varying by a few N: sums of squares would lose most digits here.
    const curves = Array.from({ length: n }, () => Float32Array.from({ length: 101 }, () => 1000 + 3 * rnd()));
    const s = curveMeanSd(curves)!;
    for (let k = 0; k < 101; k++) {
      let m = 0;
      for (const c of curves) m += c[k];
      m /= n;
      let v = 0;
      for (const c of curves) v += (c[k] - m) ** 2;
      assert.ok(Math.abs(s.mean[k] - m) <= 1e-12 * 1000, `n=${n} k=${k} mean ${s.mean[k]} vs ${m}`);
      assert.ok(Math.abs(s.sd[k] - Math.sqrt(v / (n - 1))) <= 1e-9, `n=${n} k=${k} sd ${s.sd[k]} vs ${Math.sqrt(v / (n - 1))}`);
    }
  }
  // Curves of unequal length: compared over the shortest.
  assert.equal(curveMeanSd([[1, 2, 3], [1, 2], [1, 2, 3, 4], [5, 6, 7], [0, 0, 0]])!.mean.length, 2);
});

test('blockMeanSd of chosen curves of a block, in any order, is curveMeanSd of those curves bit for bit', () => {
  const rnd = seededRandom(7);
  const points = 101;
  const block = Float32Array.from({ length: 200 * points }, () => 1000 + 3 * rnd());
  const view = (c: number) => block.subarray(c * points, (c + 1) * points);
  for (const n of [1, 2, 4, 5, 7, 190]) {
    const cycles = Int32Array.from({ length: n }, () => Math.floor(rnd() * 200));
    const got = blockMeanSd(block, points, cycles)!;
    const want = curveMeanSd(Array.from(cycles, view))!;
    assert.equal(got.n, n);
    assert.deepEqual([Array.from(got.mean), Array.from(got.sd)], [Array.from(want.mean), Array.from(want.sd)], `n=${n}`);
  }
  assert.equal(blockMeanSd(block, points, []), null);
});
