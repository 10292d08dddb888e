// LowerBackImuEvents on lower-back signals made in the test: each step a sharp loading bump of the vertical
// acceleration (its steepest rise 30 ms after the contact), a later small bump (its rise is the other foot's final
// contact), a forward acceleration that peaks at the contact and falls as the body is braked (Zijlstra & Hof 2003),
// and a pelvis yaw rate turning one way around left contacts and the other around right ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LowerBackImuEvents, type GaitEvent } from '../../src-shared/signal/events';

const RATE = 100;
const bump = (t: number, c: number, w: number, amp: number) => (Math.abs(t - c) < w ? (amp * (1 + Math.cos((Math.PI * (t - c)) / w))) / 2 : 0);

interface Step { atS: number; side: 'left' | 'right'; yawDegS?: number; loadDelayS?: number }

/** Signals of a sensor whose X axis points up (Xsens at L5); `flip` mounts it upside down (x and y negated). */
function walk(steps: Step[], durationS: number, flip = false) {
  const n = Math.round(durationS * RATE);
  const acc = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const gyro = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    let vertical = 9.81, forward = 0, yaw = 0;
    for (const s of steps) {
      // Loading: rises from the contact (or loadDelayS after it: a foot set down unloaded) to a 3 m/s² peak 60 ms
      // later (steepest at +30 ms), back by +120 ms; the other foot leaves on the rise of a small bump centred at
      // +250 ms (steepest at +230 ms). Forward: up to 1.5 m/s² at the contact, then braked to −2.5 m/s² at +80 ms.
      const load = s.atS + (s.loadDelayS ?? 0);
      vertical += bump(t, load + 0.06, 0.06, 3) + bump(t, load + 0.25, 0.04, 0.8);
      forward += bump(t, s.atS, 0.08, 1.5) - bump(t, s.atS + 0.08, 0.08, 2.5);
      yaw += bump(t, s.atS, 0.25, s.yawDegS ?? (s.side === 'left' ? -30 : 30));
    }
    acc[0][i] = vertical;
    acc[1][i] = forward;
    acc[2][i] = 0.5;
    gyro[0][i] = yaw;
    gyro[1][i] = 5 * Math.sin(2 * Math.PI * t);
  }
  if (flip) for (const a of [acc[0], acc[1], gyro[0], gyro[1]]) for (let i = 0; i < n; i++) a[i] = -a[i];
  return { rateHz: RATE, accMs2: acc as [Float64Array, Float64Array, Float64Array], gyroDegS: gyro as [Float64Array, Float64Array, Float64Array] };
}

const of = (events: GaitEvent[], label: string) => events.filter((e) => e.label === label);

test('LowerBackImuEvents: IC at the loading\'s steepest rise, the other foot\'s FC on the next rise, sides from the pelvis\'s yaw rate', () => {
  const steps: Step[] = [];
  for (let k = 0; k < 10; k++) steps.push({ atS: 2 + 0.55 * k, side: k % 2 === 0 ? 'left' : 'right' });
  const events = new LowerBackImuEvents().run(walk(steps, 10));
  const ic = of(events, 'initial_contact'), fc = of(events, 'final_contact');
  assert.equal(ic.length, 10);
  ic.forEach((e, k) => {
    // The forward acceleration's peak, before the loading's steepest rise (+30 ms, version 1.0.0's contact, below).
    assert.ok(Math.abs(e.timeS - steps[k].atS) < 0.005, `IC ${k} at ${e.timeS}, expected ${steps[k].atS}`);
    assert.equal(e.side, steps[k].side);
    assert.ok(Math.abs(e.confidence - 1) < 1e-9);
  });
  assert.equal(fc.length, 10);
  fc.forEach((e, k) => {
    // Within a sample: the Gaussian pulls the short rise towards the flat stretch before it.
    assert.ok(Math.abs(e.timeS - (steps[k].atS + 0.23)) < 0.01, `FC ${k} at ${e.timeS}, expected ${steps[k].atS + 0.23}`);
    assert.equal(e.side, steps[k].side === 'left' ? 'right' : 'left');
  });
  const rise = of(new LowerBackImuEvents({ icAt: 'vertical_rise' }).run(walk(steps, 10)), 'initial_contact');
  rise.forEach((e, k) => assert.ok(Math.abs(e.timeS - (steps[k].atS + 0.03)) < 0.003, `1.0.0's IC ${k} at ${e.timeS}, expected ${steps[k].atS + 0.03}`));
  assert.equal(ic[0].threshold!.unit, 'm/s²');
  assert.equal(ic[0].params.stepSmoothingS, 0.05);
  // Mounted upside down: the vertical is found from the mean acceleration, so the events are the same.
  const flipped = new LowerBackImuEvents().run(walk(steps, 10, true));
  assert.deepEqual(flipped.map((e) => [e.label, e.side]), events.map((e) => [e.label, e.side]));
  flipped.forEach((e, k) => assert.ok(Math.abs(e.timeS - events[k].timeS) < 1e-9));
});

test('LowerBackImuEvents 1.1.0: a foot set down 250 ms before it takes the load has its contact at the braking, not at the loading (1.0.0); no forward landmark without a horizontal acceleration', () => {
  const steps: Step[] = [];
  for (let k = 0; k < 10; k++) steps.push({ atS: 2 + 0.6 * k, side: k % 2 === 0 ? 'left' : 'right', loadDelayS: k % 2 === 0 ? 0 : 0.25 });
  const ic = of(new LowerBackImuEvents().run(walk(steps, 10)), 'initial_contact');
  assert.deepEqual(ic.map((e) => e.side), steps.map((s) => s.side));
  ic.forEach((e, k) => assert.ok(Math.abs(e.timeS - steps[k].atS) < 0.005, `IC ${k} at ${e.timeS}, expected ${steps[k].atS}`));
  const old = of(new LowerBackImuEvents({ icAt: 'vertical_rise' }).run(walk(steps, 10)), 'initial_contact');
  old.forEach((e, k) => assert.ok(Math.abs(e.timeS - (steps[k].atS + (steps[k].loadDelayS ?? 0) + 0.03)) < 0.003, `1.0.0's IC ${k} at ${e.timeS}`));
  // The same walk without a horizontal acceleration (no forward sway, the sensor upright): the rise alone.
  const w = walk(steps, 10);
  w.accMs2[1].fill(0);
  w.accMs2[2].fill(0);
  const vertical = of(new LowerBackImuEvents().run(w), 'initial_contact');
  vertical.forEach((e, k) => assert.ok(Math.abs(e.timeS - (steps[k].atS + (steps[k].loadDelayS ?? 0) + 0.03)) < 0.003, `IC ${k} at ${e.timeS} without a horizontal acceleration`));
});

test('LowerBackImuEvents: feet alternate within a bout, so a step whose yaw rate says the wrong side takes it from its neighbours; a pause starts a new bout', () => {
  const steps: Step[] = [];
  for (let k = 0; k < 8; k++) steps.push({ atS: 1 + 0.55 * k, side: k % 2 === 0 ? 'left' : 'right' });
  // The fourth step (right) turns the pelvis the wrong way, as a left one would.
  steps[3].yawDegS = -30;
  // After a 4 s pause the walk resumes with the right foot.
  for (let k = 0; k < 6; k++) steps.push({ atS: 9.5 + 0.55 * k, side: k % 2 === 0 ? 'right' : 'left' });
  const ic = of(new LowerBackImuEvents().run(walk(steps, 14)), 'initial_contact');
  assert.deepEqual(ic.map((e) => e.side), steps.map((s) => s.side));
  // The step that disagreed keeps half its confidence.
  ic.forEach((e, k) => assert.ok(Math.abs(e.confidence - (k === 3 ? 0.5 : 1)) < 1e-9, `step ${k}: confidence ${e.confidence}`));
});

test('LowerBackImuEvents: no steps while standing, and parameters it cannot use are refused', () => {
  assert.deepEqual(new LowerBackImuEvents().run(walk([], 5)), []);
  assert.throws(() => new LowerBackImuEvents({ minStepS: 3 }), /minStepS must be below maxStepS/);
  assert.throws(() => new LowerBackImuEvents({ edgeSmoothingS: 0 }), /edgeSmoothingS must be a positive number/);
  const w = walk([{ atS: 1, side: 'left' }], 3);
  assert.throws(() => new LowerBackImuEvents().run({ ...w, gyroDegS: [w.gyroDegS[0].subarray(1), w.gyroDegS[1], w.gyroDegS[2]] }), /lower back: 300 samples on the first accelerometer axis but 299 on another axis/);
});
