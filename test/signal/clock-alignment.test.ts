import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitClockLowerEnvelope } from '../../src-shared/signal/clock-alignment';
import { seededRandom } from '../helpers';

/** 10 min at 100 Hz; host = offset + (1 + drift)·device + delay, delays exponential (mean 3 ms) with host stalls. */
function simulate(driftPpm: number, seed: number): { device: Float64Array; host: Float64Array } {
  const rand = seededRandom(seed);
  const n = 60_000;
  const device = new Float64Array(n);
  const host = new Float64Array(n);
  let stall = 0;
  for (let i = 0; i < n; i++) {
    device[i] = 5_000 + i * 10;
    if (rand() < 0.001) stall = 200; // the host stops reading for a while: every sample until then arrives late
    const delay = -3 * Math.log(1 - rand()) + Math.max(0, stall);
    stall -= 10;
    host[i] = 1.7e12 + (1 + driftPpm * 1e-6) * device[i] + delay;
  }
  return { device, host };
}

test('the lower-envelope fit recovers offset and drift through skewed delays and stalls (within 1 ms over 10 min)', () => {
  for (const [drift, seed] of [[80, 1], [-50, 2], [0, 3], [250, 4]]) {
    const { device, host } = simulate(drift, seed);
    const fit = fitClockLowerEnvelope(device, host);
    const errorMs = Math.abs(fit.slope - (1 + drift * 1e-6)) * 600_000;
    assert.ok(errorMs < 1, `drift ${drift} ppm: ${((fit.slope - 1) * 1e6).toFixed(3)} ppm estimated, ${errorMs.toFixed(3)} ms over 10 min`);
    // The line runs along the fastest deliveries, not through the mean delay (3 ms above it).
    const predicted = fit.offsetMs + fit.slope * device[30_000];
    const trueLine = 1.7e12 + (1 + drift * 1e-6) * device[30_000];
    assert.ok(Math.abs(predicted - trueLine) < 0.5, `offset off by ${(predicted - trueLine).toFixed(3)} ms`);
  }
});

test('a least-squares fit would be pulled by the delays: the envelope is what makes the estimate exact', () => {
  const { device, host } = simulate(80, 7);
  const fit = fitClockLowerEnvelope(device, host);
  let mean = 0;
  for (let i = 0; i < host.length; i++) mean += host[i] - fit.offsetMs - fit.slope * device[i];
  mean /= host.length;
  assert.ok(mean > 2, `mean delay above the fitted line ${mean.toFixed(2)} ms`);
});

test('degenerate inputs: one sample gives slope 1 through it; none gives the identity', () => {
  assert.deepEqual(fitClockLowerEnvelope(new Float64Array([10]), new Float64Array([25])), { offsetMs: 15, slope: 1, segments: 1, envelopeSpreadMs: 0 });
  assert.deepEqual(fitClockLowerEnvelope(new Float64Array(0), new Float64Array(0)), { offsetMs: 0, slope: 1, segments: 0, envelopeSpreadMs: 0 });
});
