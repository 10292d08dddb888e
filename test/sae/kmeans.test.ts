import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseK, kmeans } from '../../src-shared/sae/kmeans';
import { seededNormal } from '../../src-shared/random';

/** Blobs of 1-SD Gaussian noise in 10-D whose centres are 10 SD apart. */
function blobs(centres: number, perBlob: number, seed: number): { x: Float64Array; truth: number[] } {
  const g = seededNormal(seed);
  const d = 10;
  // Centres on a simplex-like layout: blob c at 10/√2 along axis c, so any two are exactly 10 apart.
  const x = new Float64Array(centres * perBlob * d);
  const truth: number[] = [];
  for (let c = 0; c < centres; c++) for (let i = 0; i < perBlob; i++) {
    const row = c * perBlob + i;
    truth.push(c);
    for (let p = 0; p < d; p++) x[row * d + p] = (p === c ? 10 / Math.SQRT2 : 0) + g();
  }
  return { x, truth };
}

test('§5.2.9: three Gaussian blobs in 10-D, 10 SD apart, give k = 3 by the silhouette, and k-means recovers them', () => {
  const { x, truth } = blobs(3, 100, 4);
  const { k, silhouettes, fit } = chooseK(x, 300, 10);
  console.log(`silhouettes: ${silhouettes.map((s) => `k=${s.k} ${s.silhouette.toFixed(3)}`).join(', ')}`);
  assert.equal(k, 3);
  // Each true blob maps to one cluster.
  for (let c = 0; c < 3; c++) assert.equal(new Set(truth.flatMap((t, i) => (t === c ? [fit.labels[i]] : []))).size, 1);
  const again = kmeans(x, 300, 10, 3, 42);
  assert.deepEqual(again.labels, kmeans(x, 300, 10, 3, 42).labels, 'same seed, same clustering');
});

test('five blobs give k = 5', () => {
  const { x } = blobs(5, 60, 8);
  assert.equal(chooseK(x, 300, 10).k, 5);
});
