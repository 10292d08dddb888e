import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wavedecFlat } from '../../src-shared/wavelets/db5';
import { unitActivationCurves, overlayCurves, reconstructedCurves } from '../../src-shared/sae/feature-decoding';

const x = Float64Array.from({ length: 101 }, (_, t) => Math.sin((2 * Math.PI * t) / 100) + (0.1 * t) / 100);

test('G-D1: with s = 1, μ = 0 and W_j the G-W2 coefficients (float32), decoding returns x within 1e-6', () => {
  const k = 3;
  const W = new Float32Array(k * 135);
  W.set(wavedecFlat(x), 1 * 135);
  const [curve] = unitActivationCurves(W, 135, 1, [{ mean: new Array(135).fill(0), scale: 1 }]);
  assert.equal(curve.length, 101);
  let maxErr = 0;
  curve.forEach((v, t) => { maxErr = Math.max(maxErr, Math.abs(v - x[t])); });
  assert.ok(maxErr < 1e-6, `max error ${maxErr}`);
  // Linear: activation a gives a·Δy; the overlay at a = 2 with zero bias and mean is 2x.
  const [overlay] = overlayCurves(W, new Float32Array(135), 135, 1, 2, [{ mean: new Array(135).fill(0), scale: 1 }]);
  overlay.forEach((v, t) => assert.ok(Math.abs(v - 2 * x[t]) < 2e-6));
});

test('decoding is per channel block and carries each channel\'s scale; the overlay adds μ and b_d', () => {
  const c = wavedecFlat(x);
  const W = new Float64Array(2 * 270);
  W.set(c, 270 + 135); // feature 1, channel 1
  const scaling = [{ mean: new Array(135).fill(0), scale: 3 }, { mean: Array.from(c), scale: 0.5 }];
  const [ch0, ch1] = unitActivationCurves(W, 270, 1, scaling);
  assert.ok(ch0.every((v) => v === 0), 'feature 1 has no channel-0 atom');
  ch1.forEach((v, t) => assert.ok(Math.abs(v - 0.5 * x[t]) < 1e-12));
  // Overlay at a = 0 with b_d = 0: just the mean curve of channel 1, which is x.
  const [, mean1] = overlayCurves(W, new Float64Array(270), 270, 1, 0, scaling);
  mean1.forEach((v, t) => assert.ok(Math.abs(v - x[t]) < 1e-12));
});

test('reconstruction of a sample from its code: μ + s (b_d + Σ h_j W_j) per channel, then waverec; h·atom is its contribution', () => {
  const c = wavedecFlat(x);
  const W = new Float64Array(3 * 270);
  W.set(c, 0 * 270); // feature 0, channel 0
  W.set(c, 2 * 270 + 135); // feature 2, channel 1
  const scaling = [{ mean: new Array(135).fill(0), scale: 2 }, { mean: Array.from(c), scale: 1 }];
  const bd = new Float64Array(270);
  const [ch0, ch1] = reconstructedCurves([1.5, 7, 0.5], W, bd, 270, scaling);
  // Channel 0: s·1.5·x = 3x; channel 1: μ (= x) + 0.5x = 1.5x. Feature 1 has no atom and adds nothing.
  ch0.forEach((v, t) => assert.ok(Math.abs(v - 3 * x[t]) < 1e-12));
  ch1.forEach((v, t) => assert.ok(Math.abs(v - 1.5 * x[t]) < 1e-12));
  // The reconstruction at h = 0 is the overlay at activation 0: μ + s b_d.
  bd.fill(0.01);
  const [zero] = reconstructedCurves([0, 0, 0], W, bd, 270, scaling);
  const [overlay0] = overlayCurves(W, bd, 270, 0, 0, scaling);
  zero.forEach((v, t) => assert.ok(Math.abs(v - overlay0[t]) < 1e-12));
});
