import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wavedecFlat } from '../../src-shared/wavelets/db5';
import { toCoefficientRows, rowToCurves, COEFFICIENTS_PER_CURVE, type CurveSample } from '../../src-shared/sae/coefficient-layout';
import { fitScaling, applyScaling, invertScaling } from '../../src-shared/sae/type-rms-scaling';

const gw2 = Float64Array.from({ length: 101 }, (_, t) => Math.sin((2 * Math.PI * t) / 100) + (0.1 * t) / 100);

test('G-S1: type-rms scaling of c and 2c gives μ0 = 1.274310615 and s = 0.3117143423; inverse returns the input', () => {
  const c = wavedecFlat(gw2);
  const values = new Float64Array(270);
  values.set(c, 0);
  values.set(c.map((v) => 2 * v), 135);
  const [sc] = fitScaling(values, 2, 135, 135, 'type-rms');
  assert.ok(Math.abs(sc.mean[0] - 1.274310615) < 1e-9, `μ0 = ${sc.mean[0]}`);
  assert.ok(Math.abs(sc.scale - 0.3117143423) < 1e-10, `s = ${sc.scale}`);
  const back = invertScaling(applyScaling(values, 135, 135, [sc]), 135, 135, [sc]);
  back.forEach((v, i) => assert.ok(Math.abs(v - values[i]) < 1e-12, `element ${i}`));
});

test('scaling none is μ = 0, s = 1, and a constant channel gets s = 1, not a division by ~0', () => {
  const values = new Float64Array(270).fill(3);
  const [none] = fitScaling(values, 2, 135, 135, 'none');
  assert.equal(none.scale, 1);
  assert.ok(none.mean.every((m) => m === 0));
  const [flat] = fitScaling(values, 2, 135, 135, 'type-rms');
  assert.equal(flat.scale, 1);
  assert.equal(flat.mean[7], 3);
});

test('stacked layout: one row of 135·C per (trial, side); per-curve: one row per curve; round trip to curves', () => {
  const samples: CurveSample[] = [
    { subjectId: 's1', trialId: 't1', side: 'left', curves: [gw2, gw2.map((v) => -v), gw2.map((v) => v * 0.5)] },
    { subjectId: 's2', trialId: 't2', side: 'right', curves: [gw2, gw2, gw2.map((v, i) => (i === 50 ? NaN : v))] },
  ];
  const stacked = toCoefficientRows(samples, 3, 'stacked');
  assert.equal(stacked.matrix.dim, 405);
  assert.equal(stacked.matrix.rows, 1, 'the sample with a NaN is dropped whole');
  assert.equal(stacked.dropped, 1);
  const curves = rowToCurves(stacked.matrix.values.subarray(0, 405), 3);
  curves[1].forEach((v, i) => assert.ok(Math.abs(v + gw2[i]) < 1e-12));
  const perCurve = toCoefficientRows(samples, 3, 'per-curve');
  assert.equal(perCurve.matrix.dim, COEFFICIENTS_PER_CURVE);
  assert.equal(perCurve.matrix.rows, 5);
  assert.deepEqual(perCurve.matrix.source[4], { sample: 1, channel: 1 });
  assert.throws(() => toCoefficientRows(samples, 2, 'stacked'), /sample 0 \(subject s1, trial t1\): 3 channels, model needs 2/);
});

test('type-rms fits one μ and s per channel in the stacked layout', () => {
  const c = wavedecFlat(gw2);
  const values = new Float64Array(4 * 270);
  for (let r = 0; r < 4; r++) {
    values.set(c.map((v) => v * (r + 1)), r * 270);
    values.set(c.map((v) => v * 10 * (r + 1)), r * 270 + 135);
  }
  const [a, b] = fitScaling(values, 4, 270, 135, 'type-rms');
  assert.ok(Math.abs(b.scale / a.scale - 10) < 1e-12);
  const scaled = applyScaling(values, 270, 135, [a, b]);
  let ss0 = 0, ss1 = 0;
  for (let r = 0; r < 4; r++) for (let p = 0; p < 135; p++) { ss0 += scaled[r * 270 + p] ** 2; ss1 += scaled[r * 270 + 135 + p] ** 2; }
  assert.ok(Math.abs(ss0 / 540 - 1) < 1e-12 && Math.abs(ss1 / 540 - 1) < 1e-12, 'each channel has unit mean square after scaling');
});
