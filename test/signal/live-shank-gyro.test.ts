// The live estimate of gait events and cadence from shank gyroscopes, on real HuGaDB walks fed one point at a time
// as the live view gets them (HuGaDB's 58.8 Hz is under the recorder's 50 points/s cap × 1.5: every sample), against
// ShankGyroEvents on the whole stored signal (zero-phase filtered, sign chosen by plausible stance).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedData } from '../helpers';
import { hugadbImuSource } from '../../src-main/acquisition/simulator/replay-source';
import { ShankGyroEvents } from '../../src-shared/signal/events/shank-gyro';
import { plausibleStanceFraction } from '../../src-shared/methods/gait/shank-gyro-events';
import { LiveShankGyroGait } from '../../src-shared/signal/events/live-shank-gyro';
import type { LiveGaitEvent } from '../../src-shared/signal/events/live-insole';

function walk(name: string) {
  const l = hugadbImuSource(sharedData('hugadb', name), 'ls');
  const r = hugadbImuSource(sharedData('hugadb', name), 'rs');
  const gyroY = (s: typeof l) => Float64Array.from(s.rows, (row) => Number(row[s.channels.findIndex((c) => c.name.startsWith('gyro_') && c.name.endsWith('_y'))]));
  return { timeS: l.timeS, left: gyroY(l), right: gyroY(r), rateHz: l.rateHz };
}

function runLive(w: ReturnType<typeof walk>, sign = 1): { events: LiveGaitEvent[]; cadence: number | null } {
  const g = new LiveShankGyroGait();
  const events: LiveGaitEvent[] = [];
  for (let i = 0; i < w.timeS.length; i++) events.push(...g.push('left', w.timeS[i], sign * w.left[i]), ...g.push('right', w.timeS[i], sign * w.right[i]));
  return { events, cadence: g.cadenceStepsPerMin() };
}

for (const name of ['HuGaDB_v1_walking_01_01.txt.gz', 'HuGaDB_v1_walking_06_00.txt.gz', 'HuGaDB_v1_walking_01_02.txt']) {
  test(`${name}: live initial contacts match ShankGyroEvents' within 50 ms after the warm-up, few extra, and the live cadence matches theirs`, (t) => {
    const w = walk(name);
    const runs = ([1, -1] as const).map((swingSign) => new ShankGyroEvents({ swingSign }).run({ rateHz: w.rateHz, left: w.left, right: w.right }));
    const offline = runs.sort((a, b) => plausibleStanceFraction(b) - plausibleStanceFraction(a))[0].filter((e) => e.label === 'initial_contact' && e.timeS > 3);
    const { events, cadence } = runLive(w);
    const live = events.filter((e) => e.label === 'initial_contact' && e.timeS > 3);
    assert.ok(offline.length > 100, `offline contacts ${offline.length}`);
    const errors: number[] = [];
    for (const e of offline) {
      const near = live.filter((l) => l.side === e.side).map((l) => l.timeS - e.timeS).sort((a, b) => Math.abs(a) - Math.abs(b))[0];
      if (near !== undefined && Math.abs(near) <= 0.05) errors.push(Math.abs(near) * 1000);
    }
    const extra = live.filter((l) => !offline.some((e) => e.side === l.side && Math.abs(e.timeS - l.timeS) <= 0.05)).length;
    errors.sort((a, b) => a - b);
    const median = errors[errors.length >> 1];
    t.diagnostic(`${errors.length}/${offline.length} matched, median |error| ${median.toFixed(1)} ms, ${extra} extra; cadence ${cadence?.toFixed(1)}`);
    assert.ok(errors.length / offline.length >= 0.84, `${errors.length} of ${offline.length} offline contacts found live`);
    assert.ok(median <= 15, `median |error| ${median} ms`);
    assert.ok(extra / offline.length <= 0.16, `${extra} live contacts the offline detector has not`);
    // The offline cadence over the same last 10 s.
    const end = w.timeS[w.timeS.length - 1];
    const last = offline.filter((e) => e.timeS >= end - 11).map((e) => e.timeS).sort((a, b) => a - b);
    const offlineCadence = ((last.length - 1) / (last[last.length - 1] - last[0])) * 60;
    assert.ok(cadence !== null && Math.abs(cadence - offlineCadence) / offlineCadence <= 0.1, `live ${cadence} vs offline ${offlineCadence.toFixed(1)} steps/min`);
  });
}

test('the sign of forward swing comes from the data: the walk with its gyroscope flipped gives the same contacts', () => {
  const w = walk('HuGaDB_v1_walking_01_01.txt.gz');
  const a = runLive(w, 1).events.filter((e) => e.timeS > 5);
  const b = runLive(w, -1).events.filter((e) => e.timeS > 5);
  assert.ok(a.length > 200);
  assert.deepEqual(b, a);
});

test('one leg alone: a stride is two steps; a hole in the stream restarts the leg and the cadence', () => {
  const w = walk('HuGaDB_v1_walking_01_01.txt.gz');
  const g = new LiveShankGyroGait();
  const both = new LiveShankGyroGait();
  for (let i = 0; i < w.timeS.length / 2; i++) {
    g.push('right', w.timeS[i], w.right[i]);
    both.push('left', w.timeS[i], w.left[i]);
    both.push('right', w.timeS[i], w.right[i]);
  }
  const one = g.cadenceStepsPerMin()!;
  const two = both.cadenceStepsPerMin()!;
  assert.ok(Math.abs(one - two) / two < 0.1, `one leg ${one.toFixed(1)} vs both ${two.toFixed(1)} steps/min`);
  const t = w.timeS[Math.floor(w.timeS.length / 2)] + 2; // a 2-s hole
  assert.deepEqual(g.push('right', t, w.right[0]), []);
  assert.equal(g.cadenceStepsPerMin(), null);
});

test('points the stream cannot place are ignored (one without a time first, repeated and late ones, ones without a value): the events are the clean walk\'s', () => {
  const w = walk('HuGaDB_v1_walking_01_01.txt.gz');
  const clean = runLive(w).events;
  const g = new LiveShankGyroGait();
  const events: LiveGaitEvent[] = [];
  events.push(...g.push('left', NaN, 300), ...g.push('right', NaN, -300));
  for (let i = 0; i < w.timeS.length; i++) {
    events.push(...g.push('left', w.timeS[i], w.left[i]), ...g.push('right', w.timeS[i], w.right[i]));
    if (i % 50 === 0) {
      events.push(...g.push('left', w.timeS[i], 400), ...g.push('right', w.timeS[i] - 0.3, -400));
      events.push(...g.push('left', w.timeS[i] + 0.001, NaN), ...g.push('right', w.timeS[i] + 0.001, -Infinity));
    }
  }
  assert.ok(clean.length > 200, `clean events ${clean.length}`);
  assert.deepEqual(events, clean);
});
