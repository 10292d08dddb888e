import { test } from 'node:test';
import assert from 'node:assert/strict';
import { curveMeanSd } from '../../src-shared/signal/curve-stats';

test('point-wise mean and sample SD of curves; one curve has SD 0; none gives null', () => {
  const s = curveMeanSd([[1, 2, 3], [3, 2, 1], [2, 2, 8]])!;
  assert.deepEqual(Array.from(s.mean), [2, 2, 4]);
  assert.deepEqual(Array.from(s.sd), [1, 0, Math.sqrt(((3 - 4) ** 2 + (1 - 4) ** 2 + (8 - 4) ** 2) / 2)]);
  assert.equal(s.n, 3);
  assert.deepEqual(Array.from(curveMeanSd([Float32Array.of(5, 6)])!.sd), [0, 0]);
  assert.equal(curveMeanSd([]), null);
});
