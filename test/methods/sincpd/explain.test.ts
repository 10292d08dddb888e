import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../../src-main/compute/tfjs/backend';
import { SincConv1D } from '../../../src-main/methods/sincpd/sinc-layer';
import {
  classRepresentative, dbscan, explainSincPd, explanationCsv, filterEnergies, medoid, SENSOR_POSITIONS, type FilterBankSpec,
} from '../../../src-shared/methods/sincpd/explain';
import { initialWeights } from '../../../src-shared/methods/sincpd/sinc-filters';
import { seededNormal } from '../../../src-shared/random';
import { sharedData } from '../../helpers';
import { gaitpdbSegments } from './gaitpdb-segments';

before(async () => {
  assert.equal((await initTfjsBackend({ order: ['wasm'] })).backend, 'wasm');
});

function spec(profile: FilterBankSpec['profile'], perSensor: number): FilterBankSpec {
  const { w1, w2 } = initialWeights(profile, perSensor);
  return { profile, fs: 100, kernelLength: 101, stride: 5, bank: Array.from({ length: 8 }, () => ({ w1, w2 })) };
}

test('§5.3.6 sensor positions are the gaitpdb README\'s table', () => {
  const readme = readFileSync(sharedData('gaitpdb', 'README.md'), 'utf8');
  for (const p of SENSOR_POSITIONS) {
    const m = new RegExp(`\\| L${p.sensor} \\| (\\S+) \\| (\\S+) \\| R${p.sensor} \\| (\\S+) \\| (\\S+) \\|`).exec(readme);
    assert.ok(m, `row of sensor ${p.sensor}`);
    const num = (s: string) => Number(s.replace('−', '-'));
    assert.deepEqual([p.left.x, p.left.y, p.right.x, p.right.y], [num(m[1]), num(m[2]), num(m[3]), num(m[4])]);
  }
});

test('§3.7 energies equal Σ y² of the SincConv1D layer\'s raw output (tfjs, wasm) on a real segment', () => {
  const seg = gaitpdbSegments([{ file: 'GaPt03_01.txt.gz', label: 1 }], 1);
  const s = spec('sincnet-gait', 5);
  // Move the filters apart from the initial ones, per sensor differently.
  s.bank = s.bank.map((b, k) => ({ w1: Array.from(b.w1, (v) => v + 0.1 * k), w2: Array.from(b.w2, (v, j) => v + 0.2 * j) }));
  const e = filterEnergies(s, seg.x, 1000);
  assert.equal(e.length, 40);
  for (let sensor = 0; sensor < 8; sensor++) {
    const layer = new SincConv1D({ sensor, filters: 5, profile: 'sincnet-gait', initialW1: s.bank[sensor].w1 as number[], initialW2: s.bank[sensor].w2 as number[] });
    const y = tf.tidy(() => tf.sum(tf.square(layer.apply(tf.tensor3d(seg.x, [1, 8, 1000])) as tf.Tensor), [0, 1]).dataSync());
    for (let j = 0; j < 5; j++) assert.ok(Math.abs(y[j] - e[sensor * 5 + j]) / e[sensor * 5 + j] < 1e-4, `sensor ${sensor + 1} filter ${j + 1}: ${y[j]} vs ${e[sensor * 5 + j]}`);
    layer.dispose();
  }
});

test('DBSCAN: two dense blobs and outliers; the representative is the medoid of the largest cluster; no cluster → class medoid', () => {
  const g = seededNormal(9);
  const d = 3;
  const pts: number[][] = [];
  for (let i = 0; i < 30; i++) pts.push([g(), g(), g()]); // blob A (30)
  for (let i = 0; i < 12; i++) pts.push([50 + g(), g(), g()]); // blob B (12)
  pts.push([200, 0, 0], [0, 200, 0]); // noise
  const x = Float64Array.from(pts.flat());
  const labels = dbscan(x, pts.length, d, 3, 5);
  assert.equal(new Set(Array.from(labels.subarray(0, 30))).size, 1);
  assert.equal(new Set(Array.from(labels.subarray(30, 42))).size, 1);
  assert.notEqual(labels[0], labels[30]);
  assert.deepEqual([labels[42], labels[43]], [-1, -1]);
  const rows = pts.map((_, i) => i);
  const rep = classRepresentative(x, d, rows, 3, 5);
  assert.equal(rep.method, 'dbscan-medoid');
  assert.equal(rep.clusterSize, 30);
  assert.equal(rep.clusters, 2);
  assert.equal(rep.noise, 2);
  assert.equal(rep.index, medoid(x, d, rows.slice(0, 30)));
  const none = classRepresentative(x, d, rows, 0.01, 5);
  assert.equal(none.method, 'class-medoid');
  assert.equal(none.index, medoid(x, d, rows));
});

test('§5.3.6 explanation on real segments: ΔE = E(healthy rep) − E(PD rep), ranks, top ⌊0.2F⌋ = 4 of F = 23, class means, sensors, CSV', () => {
  const data = gaitpdbSegments([{ file: 'GaCo01_01.txt.gz', label: 0 }, { file: 'GaPt03_01.txt.gz', label: 1 }], 6);
  const counts = [3, 3, 3, 3, 4, 2, 2, 3];
  const s: FilterBankSpec = { profile: 'sincnet-gait', fs: 100, kernelLength: 101, stride: 5, bank: counts.map((k) => initialWeights('sincnet-gait', k)) };
  const ids = Array.from({ length: data.n }, (_, i) => `seg${i}`);
  const e = explainSincPd({ spec: s, x: data.x, n: data.n, length: 1000, label: data.y, segmentIds: ids, subjectIds: data.files.map((f) => f.slice(0, 6)) });
  assert.equal(e.filters.length, 23);
  assert.equal(e.topCount, 4);
  assert.equal(e.filters.filter((f) => f.top20).length, 4);
  assert.equal(e.representatives.healthy.subjectId, 'GaCo01');
  assert.equal(e.representatives.pd.subjectId, 'GaPt03');
  const eH = filterEnergies(s, data.x.subarray(e.representatives.healthy.index * 8000, (e.representatives.healthy.index + 1) * 8000), 1000);
  const eP = filterEnergies(s, data.x.subarray(e.representatives.pd.index * 8000, (e.representatives.pd.index + 1) * 8000), 1000);
  e.filters.forEach((f, i) => {
    assert.equal(f.deltaE, eH[i] - eP[i]);
    assert.equal(f.channel, `L${f.sensor}−R${f.sensor}`);
    assert.equal(f.aliased, false);
    assert.equal(f.measuredBandsHz.length, 1);
    assert.ok(Math.abs(f.measuredBandsHz[0][0] - f.f1Hz) < 0.05 && Math.abs(f.measuredBandsHz[0][1] - f.f2Hz) < 0.05);
  });
  // abs ranking: rank 1 has the largest |ΔE|, ranks are 1..F.
  const byRank = [...e.filters].sort((a, b) => a.rank - b.rank);
  assert.deepEqual(byRank.map((f) => f.rank), Array.from({ length: 23 }, (_, i) => i + 1));
  for (let i = 1; i < 23; i++) assert.ok(Math.abs(byRank[i - 1].deltaE) >= Math.abs(byRank[i].deltaE));
  // Class means: mean over the class's segments of the per-segment energy.
  const healthyRows = Array.from(data.y.keys()).filter((i) => data.y[i] === 0);
  const m0 = healthyRows.reduce((sum, r) => sum + filterEnergies(s, data.x.subarray(r * 8000, (r + 1) * 8000), 1000)[0], 0) / healthyRows.length;
  assert.ok(Math.abs(e.filters[0].classMean.energyHealthy - m0) < 1e-9 * m0);
  const s1 = e.sensors[0];
  assert.ok(Math.abs(s1.sumAbsDeltaE - e.filters.filter((f) => f.sensor === 1).reduce((a, f) => a + Math.abs(f.deltaE), 0)) < 1e-9);
  assert.deepEqual([...e.sensors.map((x) => x.rank)].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);
  const signed = explainSincPd({ spec: s, x: data.x, n: data.n, length: 1000, label: data.y, rankBy: 'signed' });
  const top = signed.filters.find((f) => f.rank === 1)!;
  assert.equal(top.deltaE, Math.max(...signed.filters.map((f) => f.deltaE)));
  const csv = explanationCsv(e).trim().split('\n');
  assert.equal(csv.length, 24);
  assert.ok(csv[0].startsWith('sensor,channel,region,'));
  console.log(`representatives: healthy ${e.representatives.healthy.method} (cluster ${e.representatives.healthy.clusterSize}), PD ${e.representatives.pd.method} (cluster ${e.representatives.pd.clusterSize}); top filters ${byRank.slice(0, 4).map((f) => `s${f.sensor}f${f.filter}`).join(', ')}`);
});

test('§5.3.6 sincpd-2024 filters are flagged aliased with their measured bands and the paper-plot band', () => {
  const data = gaitpdbSegments([{ file: 'GaCo01_01.txt.gz', label: 0 }, { file: 'GaPt03_01.txt.gz', label: 1 }], 2);
  const e = explainSincPd({ spec: spec('sincpd-2024', 2), x: data.x, n: data.n, length: 1000, label: data.y });
  for (const f of e.filters) {
    assert.equal(f.aliased, true);
    assert.ok(f.f1Hz >= 50);
    assert.ok(f.paperPlotBandHz && f.measuredBandsHz.every(([a, b]) => a >= 0 && b <= 50));
  }
  assert.throws(() => explainSincPd({ spec: spec('sincpd-2024', 2), x: data.x, n: data.n, length: 1000, label: new Int32Array(data.n) }), /needs segments of both classes \(healthy 4, PD 0\)/);
});

test('explanation progress: reported from inside the long loops, rising to 1, the same result; a throw from it stops the computation', () => {
  // Thousands of segments take minutes without a turn of the event loop; a training job's heartbeat rides on these
  // reports (the full gaitpdb set once took 95 s silent, and the job was taken for dead and its model dropped).
  const data = gaitpdbSegments([{ file: 'GaCo01_01.txt.gz', label: 0 }, { file: 'GaPt03_01.txt.gz', label: 1 }], 6);
  const s: FilterBankSpec = { profile: 'sincnet-gait', fs: 100, kernelLength: 101, stride: 5, bank: [3, 3, 3, 3, 4, 2, 2, 3].map((k) => initialWeights('sincnet-gait', k)) };
  const input = { spec: s, x: data.x, n: data.n, length: 1000, label: data.y };
  const seen: number[] = [];
  const withProgress = explainSincPd({ ...input, onProgress: (f) => seen.push(f) });
  assert.deepEqual(withProgress, explainSincPd(input));
  assert.ok(seen.length >= data.n, `${seen.length} reports for ${data.n} segments`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1]);
  assert.equal(seen[seen.length - 1], 1);
  let calls = 0;
  assert.throws(() => explainSincPd({ ...input, onProgress: () => { if (++calls === 3) throw new Error('cancelled'); } }), /^Error: cancelled$/);
  assert.equal(calls, 3);
});
