import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ForceThresholdEvents, InsoleEvents, ShankGyroEvents, FootImuEvents, type FootImuParams, type GaitEvent } from '../../src-shared/signal/events';

const times = (events: GaitEvent[], label: GaitEvent['label'], side: GaitEvent['side'] = 'left') =>
  events.filter((e) => e.label === label && e.side === side).map((e) => e.timeS);

function assertTimes(got: number[], expected: number[], tol: number, what: string): void {
  assert.equal(got.length, expected.length, `${what}: ${got.length} events (${got.map((t) => t.toFixed(4)).join(', ')}), expected ${expected.length}`);
  got.forEach((t, i) => assert.ok(Math.abs(t - expected[i]) <= tol, `${what} ${i}: ${t} s, expected ${expected[i]} s`));
}

/** Trapezoidal stance loads: each contact ramps up over rampS from `from` to `from + peak`, holds, ramps down. */
function trapezoids(rateHz: number, durationS: number, contacts: Array<[number, number]>, peakN: number, rampS: number, baseline: (t: number) => number = () => 0): Float64Array {
  const n = Math.round(durationS * rateHz) + 1;
  return Float64Array.from({ length: n }, (_, i) => {
    const t = i / rateHz;
    let f = 0;
    for (const [on, off] of contacts) {
      if (t > on && t < off) f = peakN * Math.min(1, (t - on) / rampS, (off - t) / rampS);
    }
    return baseline(t) + f;
  });
}

test('ForceThresholdEvents: heel strike where the force crosses 20 N upwards, toe off where it crosses 10 N downwards, interpolated', () => {
  // 1000 Hz plate; contact ramps 0 → 800 N in 50 ms from 0.2003 s, holds, ramps down in 50 ms to 0.8503 s.
  const fz = trapezoids(1000, 1.2, [[0.2003, 0.8503]], 800, 0.05);
  const events = new ForceThresholdEvents().run({ rateHz: 1000, left: fz });
  assertTimes(times(events, 'initial_contact'), [0.2003 + 0.05 * (20 / 800)], 1e-9, 'IC');
  assertTimes(times(events, 'final_contact'), [0.8503 - 0.05 * (10 / 800)], 1e-9, 'FC');
  const ic = events.find((e) => e.label === 'initial_contact')!;
  assert.deepEqual(ic.threshold, { value: 20, unit: 'N' });
  assert.deepEqual(events.find((e) => e.label === 'final_contact')!.threshold, { value: 10, unit: 'N' });
  assert.deepEqual(ic.params, { onN: 20, offN: 10, minContactS: 0.05, minGapS: 0.05 });
  assert.equal(ic.source, 'ForceThresholdEvents');
  assert.equal(ic.confidence, 1);
});

test('ForceThresholdEvents: noise inside the 10–20 N hysteresis band and a 20 ms spike make no events; custom thresholds are used and returned', () => {
  const fz = trapezoids(1000, 2, [[0.5, 1.2], [1.5, 1.52]], 600, 0.005);
  for (let i = 1210; i < 1400; i++) fz[i] = 15 + 4 * Math.sin(i); // chatter between 11 and 19 N after toe off
  const events = new ForceThresholdEvents().run({ rateHz: 1000, right: fz });
  assert.equal(times(events, 'initial_contact', 'right').length, 1);
  assert.equal(times(events, 'final_contact', 'right').length, 1);
  const custom = new ForceThresholdEvents({ onN: 50, offN: 25 }).run({ rateHz: 1000, right: fz, startS: 10 });
  assertTimes(times(custom, 'initial_contact', 'right'), [10.5 + 0.005 * (50 / 600)], 1e-9, 'IC at 50 N');
  assert.deepEqual(custom[0].threshold, { value: 50, unit: 'N' });
  assert.throws(() => new ForceThresholdEvents({ onN: 5, offN: 10 }), /onN \(5 N\) must be at least offN \(10 N\)/);
});

test('ForceThresholdEvents: a trial that starts in contact gives a toe off without a heel strike', () => {
  const fz = trapezoids(100, 1, [[-0.5, 0.405]], 700, 0.1);
  const events = new ForceThresholdEvents().run({ rateHz: 100, left: fz });
  assert.deepEqual(events.map((e) => e.label), ['final_contact']);
});

test('InsoleEvents: thresholds follow each foot\'s offset — 10 % / 5 % of the median stance force above the baseline', () => {
  // 100 Hz; strides of 1.1 s, stance 0.66 s; left insole has a 30 N pre-load, right none; 700 N stance force.
  const contactsL: Array<[number, number]> = [], contactsR: Array<[number, number]> = [];
  for (let k = 0; k < 20; k++) {
    contactsL.push([1.003 + 1.1 * k, 1.663 + 1.1 * k]);
    contactsR.push([1.553 + 1.1 * k, 2.213 + 1.1 * k]);
  }
  const left = trapezoids(100, 24, contactsL, 700, 0.1, () => 30);
  const right = trapezoids(100, 24, contactsR, 700, 0.1);
  const events = new InsoleEvents().run({ rateHz: 100, left, right });
  // on = baseline + 70 N → 10 ms into the 100 ms ramp; off = baseline + 35 N → 5 ms before the ramp's end.
  assertTimes(times(events, 'initial_contact'), contactsL.map(([on]) => on + 0.01), 1e-9, 'left IC');
  assertTimes(times(events, 'final_contact'), contactsL.map(([, off]) => off - 0.005), 1e-9, 'left FC');
  assertTimes(times(events, 'initial_contact', 'right'), contactsR.map(([on]) => on + 0.01).filter((t) => t < 24), 1e-9, 'right IC');
  const ic = events.find((e) => e.side === 'left' && e.label === 'initial_contact')!;
  assert.ok(Math.abs(ic.threshold!.value - 100) < 1e-9, `left on threshold ${ic.threshold!.value} N = 30 N baseline + 70 N`);
  assert.equal(ic.threshold!.unit, 'N');
  assert.equal(ic.params.stanceForceN, 700);
  assert.equal(ic.params.baselineN, 30);
  assert.equal(ic.params.onFraction, 0.1);
});

test('InsoleEvents: an offset drifting from 0 to 120 N over two minutes does not move the events by more than one sample', () => {
  const contacts: Array<[number, number]> = [];
  for (let k = 0; k < 100; k++) contacts.push([1.003 + 1.1 * k, 1.663 + 1.1 * k]);
  const drifting = trapezoids(100, 115, contacts, 650, 0.1, (t) => t);
  const events = new InsoleEvents().run({ rateHz: 100, left: drifting });
  const ics = times(events, 'initial_contact');
  assert.equal(ics.length, 100);
  ics.forEach((t, k) => assert.ok(Math.abs(t - (contacts[k][0] + 0.01)) < 0.01, `IC ${k}: ${t}`));
  // A fixed 20 N threshold would merge every stride into one contact once the offset passes 20 N.
  assert.ok(new ForceThresholdEvents().run({ rateHz: 100, left: drifting }).length < 40);
});

/** Raised-cosine bump of height `amp` centred on c, half-width w (zero outside): extrema exactly at c. */
const bump = (t: number, c: number, w: number, amp: number) => (Math.abs(t - c) < w ? (amp * (1 + Math.cos((Math.PI * (t - c)) / w))) / 2 : 0);

test('ShankGyroEvents: mid-swing at the peak, IC at the first minimum after it, FC at the last minimum before it (Salarian 2004)', () => {
  const rate = 100;
  const ms = [1.2, 2.3, 3.4, 4.5];
  const w = Float64Array.from({ length: 600 }, (_, i) => {
    const t = i / rate;
    // FC trough, swing peak and IC trough touch end to end, so the signal falls and rises without flat stretches.
    return ms.reduce((s, m) => s + bump(t, m - 0.35, 0.15, -180) + bump(t, m, 0.2, 350) + bump(t, m + 0.3, 0.1, -120) + bump(t, m + 0.55, 0.1, -30), 0);
  });
  const events = new ShankGyroEvents({ lowPassHz: null }).run({ rateHz: rate, left: w });
  assertTimes(times(events, 'mid_swing'), ms, 1e-9, 'MS');
  assertTimes(times(events, 'initial_contact'), ms.map((m) => m + 0.3), 1e-9, 'IC');
  assertTimes(times(events, 'final_contact'), ms.map((m) => m - 0.35), 1e-9, 'FC');
  assert.deepEqual(events.find((e) => e.label === 'final_contact')!.threshold, { value: -20, unit: 'deg/s' });
  // With the default 15 Hz low-pass the events stay within a sample.
  const filtered = new ShankGyroEvents().run({ rateHz: rate, left: w });
  assertTimes(times(filtered, 'initial_contact'), ms.map((m) => m + 0.3), 0.01, 'IC (filtered)');
  // Flipped mounting: swingSign −1 on the negated signal gives the same events.
  const flipped = new ShankGyroEvents({ lowPassHz: null, swingSign: -1 }).run({ rateHz: rate, right: w.map((v) => -v) });
  assertTimes(times(flipped, 'mid_swing', 'right'), ms, 1e-9, 'MS (flipped)');
});

test('FootImuEvents: FC on the push-off\'s rise to the swing lobe (or at the lobe\'s zero crossing), IC midway between the impact\'s jerk onset and the post-contact gyroscope minimum less 30 ms (or at the onset alone)', () => {
  const rate = 100;
  const n = 500;
  const fc = [0.8, 1.9, 3.0], swingS = 0.4;
  const gyr = new Float64Array(n), ax = new Float64Array(n), ay = new Float64Array(n), az = new Float64Array(n).fill(9.81);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    for (const f of fc) gyr[i] += bump(t, f - 0.06, 0.06, -250) + bump(t, f + swingS / 2, swingS / 2, 400) + bump(t, f + swingS + 0.05, 0.05, -60);
  }
  const impact = fc.map((f) => Math.round((f + swingS + 0.02) * rate)); // 20 ms after the lobe ends
  for (const k of impact) { ax[k + 1] = -10; ax[k + 2] = -20; ax[k + 3] = -30; ax[k + 4] = -15; }
  const events = new FootImuEvents().run({ rateHz: rate, left: { gyrMlDegS: gyr, accXMs2: ax, accYMs2: ay, accZMs2: az } });
  // Push-off minimum −250 deg/s at f − 60 ms; 40 % of the rise to zero is −150 deg/s, reached (linearly between
  // samples at f − 40 ms: −187.5 and f − 30 ms: −125) at f − 34 ms.
  assertTimes(times(events, 'final_contact'), fc.map((f) => f - 0.034), 1e-9, 'FC');
  assert.deepEqual(events.find((e) => e.label === 'final_contact')!.threshold, { value: -150, unit: 'deg/s' });
  const crossing = new FootImuEvents({ finalContactAt: 'zero_crossing' }).run({ rateHz: rate, left: { gyrMlDegS: gyr, accXMs2: ax, accYMs2: ay, accZMs2: az } });
  assertTimes(times(crossing, 'final_contact'), fc, 1e-9, 'FC at the zero crossing');
  assertTimes(times(events, 'mid_swing'), fc.map((f) => f + swingS / 2), 1e-9, 'MS');
  // Jerk |Δa|·rate is 0 up to k − ½, then 1000 m/s³ at k + ½ and 1500 at k + 3½: half the maximum (750) is
  // crossed ¾ of the way from k − ½ to k + ½, i.e. at k + ¼ samples.
  const onsetOnly = new FootImuEvents({ initialContactAt: 'impact_onset' }).run({ rateHz: rate, left: { gyrMlDegS: gyr, accXMs2: ax, accYMs2: ay, accZMs2: az } });
  assertTimes(times(onsetOnly, 'initial_contact'), impact.map((k) => (k + 0.25) / rate), 1e-9, 'IC at the jerk onset');
  // The post-contact trough (−60 deg/s) is centred on f + 450 ms, a sample: less 30 ms, f + 420 ms; the onset is at
  // f + 422.5 ms, so IC at their mean, f + 421.25 ms.
  assertTimes(times(events, 'initial_contact'), fc.map((f) => f + 0.42125), 1e-9, 'IC');
  const ic = events.find((e) => e.label === 'initial_contact')!;
  assert.deepEqual(ic.threshold, { value: 750, unit: 'm/s³' });
  assert.equal(ic.params.impactJerkFraction, 0.5);
  assert.throws(() => new FootImuEvents().run({ rateHz: 100, right: { gyrMlDegS: gyr, accXMs2: ax.subarray(1), accYMs2: ay, accZMs2: az } }), /right foot: 500 gyroscope samples but 499 accelerometer samples/);
});

test('FootImuEvents: a foot lifted without a push-off has its final contact where the swing\'s rise passes 10 % of its peak, not where the gyroscope first creeps above zero', () => {
  const rate = 100, n = 600;
  const lift = [1.5, 3.5];
  const gyr = new Float64Array(n), ax = new Float64Array(n), ay = new Float64Array(n), az = new Float64Array(n).fill(9.81);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    // A slow positive creep from f − 0.4 s (the foot rolling while flat), then the swing from f: 400 deg/s at f + 0.2 s.
    for (const f of lift) gyr[i] += bump(t, f - 0.1, 0.3, 20) + bump(t, f + 0.2, 0.2, 400) + bump(t, f + 0.45, 0.05, -60);
  }
  const input = { rateHz: rate, left: { gyrMlDegS: gyr, accXMs2: ax, accYMs2: ay, accZMs2: az } };
  const fc = times(new FootImuEvents().run(input), 'final_contact');
  assert.equal(fc.length, 2);
  // 40 deg/s (10 % of the peak) is passed where the swing alone is 30–40 deg/s: 40–50 ms after f.
  fc.forEach((t, k) => assert.ok(t > lift[k] + 0.03 && t < lift[k] + 0.06, `FC ${k} at ${t}`));
  // fcNoPushOffFraction 0 is version 1.1's rule: the lobe's start, where the creep began.
  assertTimes(times(new FootImuEvents({ fcNoPushOffFraction: 0 }).run(input), 'final_contact'), lift.map((f) => f - 0.4), 0.011, 'FC at the lobe\'s start');
});

test('FootImuEvents: a small swing counts where a stride is missing and it ends in an impact, not while standing', () => {
  const rate = 100, n = 1500;
  const gyr = new Float64Array(n), ax = new Float64Array(n), ay = new Float64Array(n), az = new Float64Array(n).fill(9.81);
  const swing = (f: number, peak: number, halfS: number) => {
    for (let i = 0; i < n; i++) gyr[i] += bump(i / rate, f - 0.06, 0.06, -peak * 0.6) + bump(i / rate, f + halfS, halfS, peak);
  };
  const impact = (atS: number, scale: number) => {
    const k = Math.round(atS * rate);
    [-10, -20, -30, -15].forEach((v, j) => { ax[k + 1 + j] = scale * v; });
  };
  const regular = [5.0, 6.1, 7.2, 8.3, 9.4];
  for (const f of regular) { swing(f, 400, 0.2); impact(f + 0.42, 1); }
  // The first step, one stride before the first regular swing: 60 deg/s, a soft impact (jerk 13 % of the regular ones').
  swing(3.9, 60, 0.15); impact(3.9 + 0.32, 0.13);
  // The same lobe and impact 4 s before the walk (a weight shift while standing), and one after the walk without an impact.
  swing(1.0, 60, 0.15); impact(1.0 + 0.32, 0.13);
  swing(10.5, 60, 0.15);
  const events = new FootImuEvents().run({ rateHz: rate, left: { gyrMlDegS: gyr, accXMs2: ax, accYMs2: ay, accZMs2: az } });
  const ms = times(events, 'mid_swing');
  assert.equal(ms.length, 6, `mid-swings at ${ms}`);
  assert.ok(Math.abs(ms[0] - 4.05) < 0.01, `small swing's mid-swing at ${ms[0]}`);
  const small = events.filter((e) => e.timeS < 4.5);
  assert.deepEqual(small.map((e) => e.label).sort(), ['final_contact', 'initial_contact', 'mid_swing']);
  for (const e of small) assert.ok(e.confidence <= 0.5);
  assert.deepEqual(small.find((e) => e.label === 'mid_swing')!.threshold, { value: 30, unit: 'deg/s' });
  // Version 1.0.0's rule (no small swings) finds the five regular ones only.
  assert.equal(times(new FootImuEvents({ minSmallSwingPeakDegS: 100 }).run({ rateHz: rate, left: { gyrMlDegS: gyr, accXMs2: ax, accYMs2: ay, accZMs2: az } }), 'mid_swing').length, 5);
});

test('FootImuEvents 1.3.0 in a turn: a soft-landing small lobe that turns the foot fast is a swing; a heel pivot half a stride after it, with no swing of the other foot between, is none', () => {
  const rate = 100, n = 1200;
  const foot = () => ({ gyr: new Float64Array(n), ax: new Float64Array(n), ay: new Float64Array(n), az: new Float64Array(n).fill(9.81), gx: new Float64Array(n), gz: new Float64Array(n) });
  const left = foot(), right = foot();
  const swing = (f: ReturnType<typeof foot>, at: number, peak: number, halfS: number, yaw = 0, impact = true) => {
    for (let i = 0; i < n; i++) {
      const t = i / rate;
      f.gyr[i] += bump(t, at - 0.06, 0.06, -peak * 0.6) + bump(t, at + halfS, halfS, peak);
      f.gz[i] += bump(t, at + halfS, halfS, yaw);
    }
    if (impact) [-10, -20, -30, -15].forEach((v, j) => { f.ax[Math.round((at + 2 * halfS + 0.02) * rate) + 1 + j] = v; });
  };
  for (const at of [1.0, 2.1, 3.2, 4.8, 5.9]) swing(left, at, 400, 0.2);
  for (const at of [1.55, 2.65, 5.35, 6.45]) swing(right, at, 400, 0.2);
  // The right foot's turning step from 3.95 s: 60 deg/s of pitch, 300 deg/s about the vertical, no impact; then a
  // heel pivot from 4.55 s (200 deg/s of pitch, no turn, an impact as the toes come down), peaks 0.53 s apart.
  swing(right, 3.95, 60, 0.15, 300, false);
  swing(right, 4.55, 200, 0.08);
  const input = (others: boolean) => ({
    rateHz: rate,
    left: { gyrMlDegS: left.gyr, accXMs2: left.ax, accYMs2: left.ay, accZMs2: left.az, gyrOtherDegS: others ? [left.gx, left.gz] as const : undefined },
    right: { gyrMlDegS: right.gyr, accXMs2: right.ax, accYMs2: right.ay, accZMs2: right.az, gyrOtherDegS: others ? [right.gx, right.gz] as const : undefined },
  });
  const rightSwings = (params: Partial<FootImuParams>, others = true) => times(new FootImuEvents(params).run(input(others)), 'mid_swing', 'right');
  assertTimes(rightSwings({}), [1.75, 2.85, 4.1, 5.55, 6.65], 0.011, '1.3.0');
  assert.equal(times(new FootImuEvents().run(input(true)), 'mid_swing', 'left').length, 5);
  // 1.2.0's rules: the pivot is a swing, the turning step is not.
  assertTimes(rightSwings({ turningSwingPeakDegS: 0, alternateFeet: false }), [1.75, 2.85, 4.63, 5.55, 6.65], 0.011, '1.2.0');
  // Without the other gyroscope axes the turning step cannot be told from a weight shift; the pivot, alone, stays.
  assertTimes(rightSwings({}, false), [1.75, 2.85, 4.63, 5.55, 6.65], 0.011, 'pitch only');
  assert.throws(() => new FootImuEvents().run({ rateHz: rate, left: { ...input(true).left, gyrOtherDegS: [left.gx.subarray(1), left.gz] } }), /left foot: 1200 samples on the gyroscope's medio-lateral axis but 1199 on another axis/);
});

test('every detector\'s events are plain JSON that survives a round trip', () => {
  const fz = trapezoids(100, 3, [[0.5, 1.2], [1.6, 2.3]], 600, 0.05);
  for (const events of [new ForceThresholdEvents().run({ rateHz: 100, left: fz }), new InsoleEvents().run({ rateHz: 100, right: fz })]) {
    assert.ok(events.length > 0);
    assert.deepEqual(JSON.parse(JSON.stringify(events)), events);
  }
});

test('undefined samples (NaN) never make the foot-IMU detector hang', () => {
  const nan = new Float64Array(500).fill(NaN);
  const events = new FootImuEvents().run({ rateHz: 100, left: { gyrMlDegS: nan, accXMs2: nan, accYMs2: nan, accZMs2: nan } });
  assert.deepEqual(events, []);
});
