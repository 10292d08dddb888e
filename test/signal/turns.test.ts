// Turns from the yaw rate (src-shared/signal/turns.ts): on shapes whose turn is known in closed form, and on all
// eight annotated Voisard et al. trials (six healthy with lower-back and foot sensors, two impaired with the lower
// back only), against their annotated U-turns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TurnDetection, turnIntervals, verticalAngularVelocity } from '../../src-shared/signal/turns';
import { footImuEventsParams } from '../../src-shared/methods/gait/foot-imu-events';
import { median } from '../../src-shared/signal/stats';
import { evaluateVoisardTurn, VOISARD_HEALTHY_TRIALS, VOISARD_IMPAIRED_TRIALS } from './voisard-evaluation';

const RATE = 100;

/** A turn of `angleDeg` as a raised cosine of the yaw rate centred on c with half-width w: ω = A(1 + cos(π(t − c)/w))/2, ∫ω = A·w. */
function turnRate(n: number, c: number, w: number, angleDeg: number, extra: (t: number) => number = () => 0): Float64Array {
  const a = angleDeg / w;
  return Float64Array.from({ length: n }, (_, i) => {
    const t = i / RATE;
    return (Math.abs(t - c) < w ? (a * (1 + Math.cos((Math.PI * (t - c)) / w))) / 2 : 0) + extra(t);
  });
}

/** Where the raised cosine's angle covers `fraction` of the turn: F(x) = ((x + 1) + sin(πx)/π) / 2 on x = (t − c)/w ∈ [−1, 1], by bisection. */
function coveredAt(c: number, w: number, fraction: number): number {
  let lo = -1, hi = 1;
  for (let k = 0; k < 60; k++) {
    const x = (lo + hi) / 2;
    if (((x + 1) + Math.sin(Math.PI * x) / Math.PI) / 2 < fraction) lo = x; else hi = x;
  }
  return c + w * lo;
}

test('TurnDetection: a 180° turn starts and ends where 5 % and 95 % of its angle are covered', () => {
  const turns = new TurnDetection().run({ rateHz: RATE, yawRateDegS: turnRate(2000, 10, 1, 180), startS: 2 });
  assert.equal(turns.length, 1);
  const [turn] = turns;
  assert.ok(Math.abs(turn.angleDeg - 180) < 0.5, `angle ${turn.angleDeg}`);
  // Edges are whole samples: within one sample (10 ms) of the closed form.
  assert.ok(Math.abs(turn.startS - (2 + coveredAt(10, 1, 0.05))) <= 0.01, `start ${turn.startS}`);
  assert.ok(Math.abs(turn.endS - (2 + coveredAt(10, 1, 0.95))) <= 0.01, `end ${turn.endS}`);
  assert.ok(turn.peakRateDegS > 60 && turn.peakRateDegS < 180, `peak ${turn.peakRateDegS}`);
  // Clockwise is negative.
  assert.ok(new TurnDetection().run({ rateHz: RATE, yawRateDegS: turnRate(2000, 10, 1, -180) })[0].angleDeg < -179.5);
});

test('TurnDetection: the pelvis\'s rotation at each stride is no turn; a turn on top of it is found with its angle', () => {
  const stride = (t: number) => 30 * Math.sin(2 * Math.PI * 0.9 * t);
  assert.deepEqual(new TurnDetection().run({ rateHz: RATE, yawRateDegS: turnRate(3000, 10, 1, 0, stride) }), []);
  const turns = new TurnDetection().run({ rateHz: RATE, yawRateDegS: turnRate(3000, 15, 1, 180, stride) });
  assert.equal(turns.length, 1);
  assert.ok(Math.abs(turns[0].angleDeg - 180) < 15, `angle ${turns[0].angleDeg}`);
  // The stride's rotation moves the covered fractions by up to 30/(2π·0.9) ≈ 5° of the 180°: edges within 0.25 s.
  assert.ok(Math.abs(turns[0].startS - coveredAt(15, 1, 0.05)) < 0.25 && Math.abs(turns[0].endS - coveredAt(15, 1, 0.95)) < 0.25, `${turns[0].startS}–${turns[0].endS}`);
  // Two halves of a turn with a 1 s pause are one turn; with a 3 s pause, two.
  // Second half: 90° over [11 + gap, 13 + gap] s.
  const secondHalf = (gap: number) => (t: number) => (Math.abs(t - 12 - gap) < 1 ? 45 * (1 + Math.cos(Math.PI * (t - 12 - gap))) : 0);
  const paused = (gap: number) => new TurnDetection().run({ rateHz: RATE, yawRateDegS: turnRate(4000, 10, 1, 90, secondHalf(gap)) });
  assert.equal(paused(1).length, 1);
  assert.ok(Math.abs(paused(1)[0].angleDeg - 180) < 1);
  assert.equal(paused(3).length, 2);
  // NaN samples (dropped packets) are no rotation, not a NaN angle.
  const holey = turnRate(2000, 10, 1, 180);
  holey.fill(NaN, 1500, 1600);
  assert.ok(Math.abs(new TurnDetection().run({ rateHz: RATE, yawRateDegS: holey })[0].angleDeg - 180) < 0.5);
});

test('verticalAngularVelocity: the rotation about gravity, whatever the sensor\'s tilt', () => {
  const up = [0.6, 0, 0.8], across = [0.8, 0, -0.6];
  const n = 500;
  const omega = Float64Array.from({ length: n }, (_, i) => 50 * Math.sin(i / 30));
  const other = Float64Array.from({ length: n }, (_, i) => 200 * Math.cos(i / 7));
  const gyro = [0, 1, 2].map((k) => Float64Array.from({ length: n }, (_, i) => omega[i] * up[k] + other[i] * across[k] + (k === 1 ? 80 : 0)));
  // Gravity's reaction plus zero-mean walking accelerations.
  const acc = [0, 1, 2].map((k) => Float64Array.from({ length: n }, (_, i) => 9.81 * up[k] + 2 * Math.sin(i / 5 + k)));
  const yaw = verticalAngularVelocity([gyro[0], gyro[1], gyro[2]], [acc[0], acc[1], acc[2]]);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(yaw[i] - omega[i]) < 0.6, `sample ${i}: ${yaw[i]} vs ${omega[i]}`);
  assert.throws(() => verticalAngularVelocity([gyro[0], gyro[1], gyro[2].subarray(1)], [acc[0], acc[1], acc[2]]), /500 gyroscope samples but 499 on another axis/);
});

test('turn parameters: impossible combinations are refused in one line', () => {
  assert.throws(() => new TurnDetection({ edgeRateDegS: 30 }), /edgeRateDegS must be below minPeakRateDegS/);
  assert.throws(() => footImuEventsParams.parse({ turnEdgeRateDegS: 30 }), /^MethodParamError: FootImuEvents: parameter turnEdgeRateDegS = 30 is out of range \(0 ≤ turnEdgeRateDegS < turnMinPeakRateDegS = 20 deg\/s\)$/);
  assert.throws(() => footImuEventsParams.parse({ turnSensor: 'head' }), /turnSensor/);
});

test('turnIntervals pairs each turn_start with the first turn_end after it', () => {
  const ev = (label: string, timeS: number) => ({ label, timeS });
  assert.deepEqual(turnIntervals([ev('turn_end', 5), ev('turn_start', 1), ev('initial_contact', 2), ev('turn_start', 8), ev('turn_end', 9.5), ev('turn_start', 12)]),
    [{ startS: 1, endS: 5 }, { startS: 8, endS: 9.5 }]);
  // A technician's start inside a detected turn widens it rather than making a second one.
  assert.deepEqual(turnIntervals([ev('turn_start', 1), ev('turn_start', 2), ev('turn_end', 5), ev('turn_end', 6)]), [{ startS: 1, endS: 6 }]);
  // An annotated file's U-turn is a turn.
  assert.deepEqual(turnIntervals([ev('uturn_start', 13.16), ev('uturn_end', 14.74)]), [{ startS: 13.16, endS: 14.74 }]);
});

test('turns on the eight annotated Voisard trials: every U-turn found, about 180°, edges within 1.4 s', async (t) => {
  const startErrors: number[] = [], endErrors: number[] = [];
  const others: string[] = [];
  for (const code of [...VOISARD_HEALTHY_TRIALS, ...Object.keys(VOISARD_IMPAIRED_TRIALS)]) {
    for (const sensor of VOISARD_IMPAIRED_TRIALS[code] ? ['lower_back'] as const : ['lower_back', 'feet'] as const) {
      const r = await evaluateVoisardTurn(code, sensor);
      assert.ok(r.detected, `${code} ${sensor}: no turn overlaps the U-turn ${r.annotated}`);
      const d = r.detected;
      const [ds, de] = [d.startS - r.annotated[0], d.endS - r.annotated[1]];
      t.diagnostic(`${code} ${sensor}: ${d.startS.toFixed(2)}–${d.endS.toFixed(2)} s (annotated ${r.annotated.map((x) => x.toFixed(2)).join('–')}), ${Math.round(1000 * ds)} / ${Math.round(1000 * de)} ms, ${d.angleDeg.toFixed(0)}°`);
      assert.ok(Math.abs(Math.abs(d.angleDeg) - 180) <= 30, `${code} ${sensor}: ${d.angleDeg}°`);
      assert.ok(Math.abs(ds) <= 1.4 && Math.abs(de) <= 1.4, `${code} ${sensor}: start ${ds} s, end ${de} s`);
      if (!VOISARD_IMPAIRED_TRIALS[code]) { startErrors.push(Math.abs(ds)); endErrors.push(Math.abs(de)); }
      others.push(...r.others.map(([a, b]) => `${code} ${sensor} ${a.toFixed(2)}–${b.toFixed(2)}`));
    }
  }
  const medStart = median(startErrors), medEnd = median(endErrors);
  t.diagnostic(`healthy: median |start error| ${(1000 * medStart).toFixed(0)} ms, |end error| ${(1000 * medEnd).toFixed(0)} ms; other turns: ${others.join(', ') || 'none'}`);
  assert.ok(medStart <= 0.3 && medEnd <= 0.3, `median |errors| ${medStart}, ${medEnd} s`);
  // 5-1 turns back once more at the end of its walk (+178°, from both sensors): the only other turn.
  assert.deepEqual(others.map((o) => o.split(' ').slice(0, 2).join(' ')), ['5-1 lower_back', '5-1 feet']);
});
