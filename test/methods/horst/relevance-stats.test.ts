// Spec §5.1.8–§5.1.10: mean maps, relevance consistency CV (exact small case, the closed form on a synthetic
// set of constant pattern + Gaussian noise), and the perturbation curves with AOPC and AOC on models whose
// curves are known in advance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanMap, meanSd, relevanceCV } from '../../../src-shared/methods/horst/relevance-stats';
import { aoc, aopc, perturbationCounts, perturbValue, relevanceOrder } from '../../../src-shared/methods/horst/perturbation';
import { normalStream, uniformStream } from '../../../src-shared/methods/horst/random';

test('CV: exact on two maps, null for one map or an all-zero mean, the closed form σ/mean|p| on pattern + noise', () => {
  assert.ok(Math.abs(relevanceCV([Float64Array.of(1, 3), Float64Array.of(3, 1)])! - Math.SQRT2 / 2) < 1e-15);
  assert.equal(relevanceCV([Float64Array.of(1, 2)]), null);
  assert.equal(relevanceCV([Float64Array.of(1, -2), Float64Array.of(-1, 2)]), null);
  const d = 606;
  const sigma = 0.1;
  const u = uniformStream(3, 'pattern');
  const pattern = Float64Array.from({ length: d }, () => (u() < 0.5 ? -1 : 1) * (0.5 + u()));
  const noise = normalStream(3, 'noise');
  const maps = Array.from({ length: 400 }, () => pattern.map((p) => p + sigma * noise()));
  const meanAbs = pattern.reduce((s, p) => s + Math.abs(p), 0) / d;
  const cv = relevanceCV(maps)!;
  assert.ok(Math.abs(cv - sigma / meanAbs) / (sigma / meanAbs) < 0.01, `CV ${cv} vs ${sigma / meanAbs}`);
  const mean = meanMap(maps);
  assert.ok(mean.every((m, i) => Math.abs(m - pattern[i]) < 5 * sigma / Math.sqrt(400)));
  assert.deepEqual(meanSd([1, 2, null, 3]), { mean: 2, sd: 1, n: 3 });
});

test('perturbation: a threshold model under saltMinus gives a known curve (AOC 40, AOPC 80) in either order', () => {
  const m = 100;
  const trials = Array.from({ length: 3 }, () => new Float64Array(m).fill(1));
  const predict = (x: Float64Array) => [0, x.reduce((s, v) => s + v, 0) > 0.8 * m ? 1 : -1];
  for (const order of ['random', 'relevanceDescending'] as const) {
    const counts = perturbationCounts({ trials, labels: [1, 1, 1], predict, relevance: trials }, 'saltMinus', order, { seed: 1, key: ['t'], repetitions: 2 });
    const acc = Array.from(counts, (c) => c / 6);
    assert.deepEqual(acc, [...Array(10).fill(1), ...Array(40).fill(0)]);
    assert.ok(Math.abs(aoc(acc) - 40) < 1e-12);
    assert.ok(Math.abs(aopc(acc) - 80) < 1e-12);
  }
});

test('perturbation: relevance-descending hits the one relevant component first; random order later on average', () => {
  const m = 200;
  const trials = Array.from({ length: 20 }, () => new Float64Array(m).fill(1));
  const relevance = trials.map(() => Float64Array.from({ length: m }, (_, i) => (i === 5 ? 9 : i === 6 ? 9 : 0)));
  assert.deepEqual(Array.from(relevanceOrder(relevance[0]).slice(0, 3)), [5, 6, 0]);
  const predict = (x: Float64Array) => [0.5, x[5]];
  const descending = perturbationCounts({ trials, labels: trials.map(() => 1), predict, relevance }, 'pepper', 'relevanceDescending', { seed: 2, key: ['d'], repetitions: 1 });
  assert.deepEqual([descending[0], descending[1]], [20, 0]);
  const random = perturbationCounts({ trials, labels: trials.map(() => 1), predict }, 'pepper', 'random', { seed: 2, key: ['r'], repetitions: 5 });
  const meanRandom = Array.from(random).reduce((s, c) => s + c, 0) / (100 * 50);
  assert.ok(meanRandom > 0.6 && meanRandom < 0.9, `random-order mean accuracy ${meanRandom}`);
  assert.deepEqual(perturbationCounts({ trials, labels: trials.map(() => 1), predict }, 'pepper', 'random', { seed: 2, key: ['r'], repetitions: 5 }), random);
});

test('noises: shot gives both signs; salt/pepper their constants; Gaussian σ as named', () => {
  const u = uniformStream(5, 'shot');
  const n = normalStream(5, 'g');
  const shots = Array.from({ length: 200 }, () => perturbValue('shot', 0.3, n, u));
  assert.ok(shots.includes(1) && shots.includes(-1) && shots.every((v) => v === 1 || v === -1));
  assert.deepEqual(['saltMinus', 'pepper', 'saltPlus'].map((k) => perturbValue(k as 'pepper', 0.3, n, u)), [-1, 0, 1]);
  const g = Array.from({ length: 20000 }, () => perturbValue('gauss2', 0, n, u));
  const sd = Math.sqrt(g.reduce((s, v) => s + v * v, 0) / g.length);
  assert.ok(Math.abs(sd - 2) < 0.05, `sd ${sd}`);
});
