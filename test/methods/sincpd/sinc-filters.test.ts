import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  gaitConstants, gaitWeightsForBand, initialWeights, isAliased, nominalBand, paperPlotBand, sincTaps, DEFAULT_GEOMETRY,
} from '../../../src-shared/methods/sincpd/sinc-filters';
import { checkBand, fftInPlace, measureBands } from '../../../src-shared/methods/sincpd/band-measure';
import { seededRandom } from '../../../src-shared/random';

const GOLDEN_J = [0, 1, 49, 50, 51, 99, 100];

function assertClose(actual: ArrayLike<number>, expected: readonly number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]} (tol ${tol})`);
  }
}

test('§3.3.2 golden taps of sincpd-2024 (filter 0 and θ = (0.1, 0.05)) to within 1e-6', () => {
  const f0 = sincTaps('sincpd-2024', 0.3, 0.2148067373);
  assertClose(GOLDEN_J.map((j) => f0[j]), [-0.00035559, 0.00001365, 0.19069017, 0.99977749, 0.19103005, 0.00001410, -0.00035955], 1e-6, 'filter 0');
  const f1 = sincTaps('sincpd-2024', 0.1, 0.05);
  assertClose(GOLDEN_J.map((j) => f1[j]), [0, 0.00010568, 0.40338741, 0.99977749, 0.40410639, 0.00010917, 0], 1e-6, 'θ=(0.1,0.05)');
});

test('§3.3.2 periodic Hamming of sincpd-2024: w[0] = 0.0800, w[100] = 0.0809 (asymmetric), w[50] = 0.99977749', () => {
  // A filter whose normalised u is 1 at every tap is not available, so read the window off the centre tap and
  // the ratio of the mirrored taps: u is symmetric, so h[100]/h[0] = w[100]/w[0].
  const h = sincTaps('sincpd-2024', 0.3, 0.2148067373);
  assert.ok(Math.abs(h[50] - 0.99977749) < 1e-8);
  const w0 = 0.54 - 0.46, w100 = 0.54 - 0.46 * Math.cos((2 * Math.PI * 100) / 101);
  assert.ok(Math.abs(h[100] / h[0] - w100 / w0) < 1e-9);
  assert.equal(w0.toFixed(4), '0.0800');
  assert.equal(w100.toFixed(4), '0.0809');
});

test('§3.3.2 legacy mel initialisation: θ1[0] = 0.30, θ1[1..99] in [0.50015, 0.51496], θb as derived; every f1 ≥ fs/2', () => {
  const { w1, w2 } = initialWeights('sincpd-2024', 100);
  assert.ok(Math.abs(w1[0] - 0.3) < 1e-12);
  for (let i = 1; i < 100; i++) assert.ok(w1[i] >= 0.50015 - 1e-5 && w1[i] <= 0.51496 + 1e-5, `θ1[${i}] = ${w1[i]}`);
  assert.ok(Math.abs(w2[0] - 0.21481) < 1e-5, `θb[0] = ${w2[0]}`);
  for (let i = 1; i < 99; i++) assert.ok(Math.abs(w2[i] + 0.000302) < 2e-5, `θb[${i}] = ${w2[i]}`);
  assert.ok(Math.abs(w2[99] + 1.00015) < 1e-5, `θb[99] = ${w2[99]}`);
  for (let i = 0; i < 100; i++) {
    const { f1 } = nominalBand('sincpd-2024', w1[i], w2[i]);
    assert.ok(f1 >= DEFAULT_GEOMETRY.fs / 2, `filter ${i}: f1 = ${f1} < fs/2`);
    assert.ok(isAliased('sincpd-2024', w1[i], w2[i]), `filter ${i} flagged aliased`);
  }
  const b0 = nominalBand('sincpd-2024', w1[0], w2[0]);
  assert.ok(Math.abs(b0.f1 - 80) < 1e-9 && Math.abs(b0.f2 - 151.48) < 0.01, `filter 0 nominal ${b0.f1}–${b0.f2}`);
  const b99 = nominalBand('sincpd-2024', w1[99], w2[99]);
  assert.ok(Math.abs(b99.f1 - 100.02) < 0.01 && Math.abs(b99.f2 - 250.03) < 0.01, `filter 99 nominal ${b99.f1}–${b99.f2}`);
});

test('§3.3.3: initial sincpd-2024 filter 1 (nominal 101.50–151.53 Hz) measures 3.0–50 Hz; the mismatch is reported, not asserted', () => {
  const { w1, w2 } = initialWeights('sincpd-2024', 100);
  const { f1, f2 } = nominalBand('sincpd-2024', w1[1], w2[1]);
  assert.ok(Math.abs(f1 - 101.50) < 0.01 && Math.abs(f2 - 151.53) < 0.01);
  const m = measureBands(sincTaps('sincpd-2024', w1[1], w2[1]), 100);
  assert.equal(m.regions.length, 1);
  assert.ok(Math.abs(m.regions[0][0] - 3.0) < 0.05, `low edge ${m.regions[0][0]}`);
  assert.equal(m.regions[0][1], 50);
  const check = checkBand(sincTaps('sincpd-2024', w1[1], w2[1]), f1, f2, 100);
  assert.equal(check.passes, false);
  assert.ok(check.edgeErrorHz > 50, 'the nominal band is nowhere near the measured one');
  console.log(`sincpd-2024 filter 1: nominal ${f1.toFixed(2)}–${f2.toFixed(2)} Hz, measured ${m.regions.map(([a, b]) => `${a.toFixed(2)}–${b.toFixed(2)}`).join(', ')} Hz`);
});

test('§3.3.3 paper-plot band: raw weights read as Hz, [|θ1| − θb/2, |θ1| + θb/2]', () => {
  assert.deepEqual(paperPlotBand(-0.5, 0.2), [0.4, 0.6]);
});

test('§5.3.2 sincnet-gait constants and golden values at θ = (0, 0)', () => {
  const c = gaitConstants();
  assert.ok(Math.abs(c.delta - 3.2673) < 1e-4 && Math.abs(c.margin - 1.6337) < 1e-4 && Math.abs(c.fTop - 48.3663) < 1e-4);
  const { f1, f2 } = nominalBand('sincnet-gait', 0, 0);
  assert.ok(Math.abs(f1 - 23.366337) < 1e-6 && Math.abs(f2 - 37.5) < 1e-9, `${f1}, ${f2}`);
  const h = sincTaps('sincnet-gait', 0, 0);
  assert.ok(Math.abs(h[50] - 0.28267327) < 1e-8);
  assert.ok(Math.abs(h[49] + 0.09147228) < 1e-8 && Math.abs(h[51] + 0.09147228) < 1e-8);
  assert.ok(Math.abs(h[0] + 0.00004425) < 1e-8 && Math.abs(h[100] + 0.00004425) < 1e-8);
});

test('§5.3.2 band test on every initial sincnet-gait filter (N = 100) and on 200 random weight pairs: edges within 0.05 Hz, gain 0.98–1.02, one region', () => {
  const { w1, w2 } = initialWeights('sincnet-gait', 100);
  const random = seededRandom(7);
  const pairs: [number, number][] = Array.from({ length: 100 }, (_, i) => [w1[i], w2[i]]);
  for (let i = 0; i < 200; i++) pairs.push([(random() - 0.5) * 16, (random() - 0.5) * 16]);
  let worst = 0;
  for (const [a, b] of pairs) {
    const { f1, f2 } = nominalBand('sincnet-gait', a, b);
    const { fTop, margin, bMin } = gaitConstants();
    assert.ok(f1 >= margin - 1e-12 && f2 - f1 >= bMin - 1e-12 && f2 <= fTop + 1e-12, `feasible band ${f1}–${f2}`);
    const check = checkBand(sincTaps('sincnet-gait', a, b), f1, f2, 100);
    assert.ok(check.passes, `θ = (${a}, ${b}): band ${f1}–${f2}, measured ${JSON.stringify(check.measured)}`);
    worst = Math.max(worst, check.edgeErrorHz);
  }
  console.log(`sincnet-gait band test: worst edge error ${worst.toFixed(4)} Hz over ${pairs.length} filters`);
});

test('§5.3.5 mapping a feasible band back to sincnet-gait weights reproduces it', () => {
  for (const [f1, f2] of [[5, 12], [1.7, 5.5], [30, 48.3], [20, 23.3]]) {
    const { lo, bw } = gaitWeightsForBand(f1, f2);
    const back = nominalBand('sincnet-gait', lo, bw);
    assert.ok(Math.abs(back.f1 - f1) < 1e-6 && Math.abs(back.f2 - f2) < 1e-6, `${f1}–${f2} → ${back.f1}–${back.f2}`);
  }
});

test('the FFT equals a direct DFT on a random 64-point signal', () => {
  const random = seededRandom(3);
  const n = 64;
  const x = Float64Array.from({ length: n }, () => random() - 0.5);
  const re = Float64Array.from(x), im = new Float64Array(n);
  fftInPlace(re, im);
  for (let k = 0; k < n; k++) {
    let sr = 0, si = 0;
    for (let t = 0; t < n; t++) { sr += x[t] * Math.cos((2 * Math.PI * k * t) / n); si -= x[t] * Math.sin((2 * Math.PI * k * t) / n); }
    assert.ok(Math.abs(sr - re[k]) < 1e-12 && Math.abs(si - im[k]) < 1e-12);
  }
});
