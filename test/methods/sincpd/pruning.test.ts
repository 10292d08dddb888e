import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseClusterCount, PAPER_K_OVERRIDE, pruneFilterBank, pruneSensor, pruningFeature } from '../../../src-shared/methods/sincpd/pruning';
import { gaitWeightsForBand, initialWeights, nominalBand } from '../../../src-shared/methods/sincpd/sinc-filters';
import { seededNormal } from '../../../src-shared/random';

/** 100 sincnet-gait filters whose (f_c, b) lie in three tight, well-separated blobs (Hz). */
function blobFilters(seed: number): { w1: number[]; w2: number[]; truth: number[] } {
  const g = seededNormal(seed);
  const centres: [number, number][] = [[8, 4], [20, 6], [35, 8]];
  const w1: number[] = [], w2: number[] = [], truth: number[] = [];
  for (let i = 0; i < 100; i++) {
    const c = i % 3;
    const fc = centres[c][0] + 0.3 * g(), b = centres[c][1] + 0.2 * g();
    const { lo, bw } = gaitWeightsForBand(fc - b / 2, fc + b / 2);
    w1.push(lo); w2.push(bw); truth.push(c);
  }
  return { w1, w2, truth };
}

test('§5.3.5: 100 filters from 3 well-separated blobs give k = 3 by the silhouette, and the centroids are the blob means', () => {
  const { w1, w2, truth } = blobFilters(1);
  const p = pruneSensor('sincnet-gait', 1, w1, w2, { seed: 42 });
  console.log(`silhouettes: ${p.silhouettes.map((s) => `k=${s.k} ${s.silhouette.toFixed(3)}`).join(', ')}`);
  assert.equal(p.k, 3);
  assert.deepEqual(p.silhouettes.map((s) => s.k), [2, 3, 4, 5, 6, 7]);
  for (let c = 0; c < 3; c++) {
    const members = truth.flatMap((t, i) => (t === c ? [pruningFeature('sincnet-gait', w1[i], w2[i])] : []));
    const mean = [0, 1].map((d) => members.reduce((s, m) => s + m[d], 0) / members.length);
    // Features are sorted by f_c, and the blobs by centre: cluster c is blob c.
    assert.ok(Math.abs(p.features[c][0] - mean[0]) < 1e-9 && Math.abs(p.features[c][1] - mean[1]) < 1e-9, `cluster ${c}: ${p.features[c]} vs ${mean}`);
    // The new weights name exactly the centroid's band.
    const { f1, f2 } = nominalBand('sincnet-gait', p.w1[c], p.w2[c]);
    assert.ok(Math.abs((f1 + f2) / 2 - mean[0]) < 1e-6 && Math.abs(f2 - f1 - mean[1]) < 1e-6);
  }
});

test('§5.3.5 medoid representative: each new filter is one of the sensor\'s filters', () => {
  const { w1, w2 } = blobFilters(2);
  const p = pruneSensor('sincnet-gait', 1, w1, w2, { representative: 'medoid' });
  assert.equal(p.k, 3);
  const features = w1.map((a, i) => pruningFeature('sincnet-gait', a, w2[i]));
  for (const f of p.features) assert.ok(features.some((g) => g[0] === f[0] && g[1] === f[1]), `medoid ${f} is a member`);
});

test('§5.3.5 kOverride reproduces the paper\'s counts: 800 → 23 filters; sincpd-2024 clusters the raw weights and writes the centroids directly', () => {
  const init = initialWeights('sincpd-2024', 100);
  const bank = Array.from({ length: 8 }, () => ({ w1: init.w1, w2: init.w2 }));
  const pruned = pruneFilterBank('sincpd-2024', bank, { kOverride: PAPER_K_OVERRIDE });
  assert.deepEqual(pruned.map((p) => p.k), [3, 3, 3, 3, 4, 2, 2, 3]);
  assert.equal(pruned.reduce((s, p) => s + p.k, 0), 23);
  for (const p of pruned) {
    assert.ok(p.overridden);
    p.features.forEach((f, i) => { assert.equal(p.w1[i], f[0]); assert.equal(p.w2[i], f[1]); });
  }
  assert.throws(() => pruneFilterBank('sincpd-2024', bank, { kOverride: [3, 3] }), /kOverride has 2 counts for 8 sensors/);
});

test('§5.3.5: k above the number of distinct points is skipped; identical filters give k = 1', () => {
  const same = new Float64Array(20).fill(0.5);
  assert.deepEqual(chooseClusterCount(same, 10, 1), { k: 1, silhouettes: [] });
  // Three distinct points (repeated) allow k = 2 and 3 only.
  const three = Float64Array.from({ length: 18 }, (_, q) => [0, 0, 10, 0, 0, 10][q % 6]);
  const r = chooseClusterCount(three, 9, 1);
  assert.deepEqual(r.silhouettes.map((s) => s.k), [2, 3]);
  assert.equal(r.k, 3);
});
