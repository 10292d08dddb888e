// The live estimate of gait events and cadence on real gaitpdb walks, fed as the live view gets them (every 2nd
// sample of 100 Hz: the recorder's 50 points/s), against InsoleEvents on the whole stored signal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedData } from '../helpers';
import { gaitpdbInsoleSource } from '../../src-main/acquisition/simulator/replay-source';
import { InsoleEvents } from '../../src-shared/signal/events/insole';
import { LiveInsoleGait, type LiveGaitEvent } from '../../src-shared/signal/events/live-insole';

function walk(name: string) {
  const src = gaitpdbInsoleSource(sharedData('gaitpdb', name));
  const li = src.channels.findIndex((c) => c.name === 'L_total');
  const ri = src.channels.findIndex((c) => c.name === 'R_total');
  const left = Float64Array.from(src.rows, (r) => Number(r[li]));
  const right = Float64Array.from(src.rows, (r) => Number(r[ri]));
  return { timeS: src.timeS, left, right, rateHz: src.rateHz };
}

function runLive(w: ReturnType<typeof walk>, every: number): { events: LiveGaitEvent[]; cadence: (number | null)[] } {
  const g = new LiveInsoleGait();
  const events: LiveGaitEvent[] = [];
  const cadence: (number | null)[] = [];
  for (let i = 0; i < w.timeS.length; i += every) {
    events.push(...g.push('left', w.timeS[i], w.left[i]), ...g.push('right', w.timeS[i], w.right[i]));
    cadence.push(g.cadenceStepsPerMin());
  }
  return { events, cadence };
}

for (const name of ['GaCo01_01.txt.gz', 'GaPt03_01.txt.gz']) {
  test(`${name}: live initial contacts match InsoleEvents' within 30 ms after the warm-up, and the live cadence matches theirs`, () => {
    const w = walk(name);
    const offline = new InsoleEvents().run({ rateHz: w.rateHz, left: w.left, right: w.right }).filter((e) => e.label === 'initial_contact' && e.timeS > 5);
    const { events, cadence } = runLive(w, 2);
    const live = events.filter((e) => e.label === 'initial_contact');
    assert.ok(offline.length > 150, `offline strikes ${offline.length}`);
    let matched = 0;
    for (const e of offline) if (live.some((l) => l.side === e.side && Math.abs(l.timeS - e.timeS) <= 0.03)) matched++;
    const share = matched / offline.length;
    assert.ok(share >= 0.95, `${matched} of ${offline.length} offline strikes found live`);
    // No invented strikes: every live one after the warm-up is an offline one.
    const extra = live.filter((l) => l.timeS > 5 && !offline.some((e) => e.side === l.side && Math.abs(l.timeS - e.timeS) <= 0.03));
    assert.ok(extra.length <= 0.02 * offline.length, `${extra.length} live strikes with no offline one`);
    // Each foot alternates contact on and off.
    for (const side of ['left', 'right'] as const) {
      const seq = events.filter((e) => e.side === side).map((e) => e.label);
      for (let i = 1; i < seq.length; i++) assert.notEqual(seq[i], seq[i - 1], `${side} event ${i} repeats ${seq[i]}`);
    }
    // Cadence over the last 10 s at the end of the walk against the offline strikes of the same 10 s.
    const end = w.timeS[w.timeS.length - 1];
    const last = new InsoleEvents().run({ rateHz: w.rateHz, left: w.left, right: w.right })
      .filter((e) => e.label === 'initial_contact').map((e) => e.timeS).filter((t) => t >= end - 10.5).sort((a, b) => a - b);
    const want = ((last.length - 1) / (last[last.length - 1] - last[0])) * 60;
    const got = cadence[cadence.length - 1]!;
    assert.ok(Math.abs(got - want) < 3, `live cadence ${got.toFixed(1)} steps/min, offline ${want.toFixed(1)}`);
  });
}

test('a hole in the stream (a dropped link) restarts the detector: no contact spans it, and the cadence after it is the walk\'s', () => {
  const w = walk('GaCo01_01.txt.gz');
  const g = new LiveInsoleGait();
  const events: LiveGaitEvent[] = [];
  let cadenceAt65: number | null = null;
  for (let i = 0; i < w.timeS.length; i += 2) {
    const t = w.timeS[i];
    if (t >= 40 && t < 60) continue;
    events.push(...g.push('left', t, w.left[i]), ...g.push('right', t, w.right[i]));
    if (t <= 65) cadenceAt65 = g.cadenceStepsPerMin();
  }
  assert.ok(!events.some((e) => e.timeS > 39.9 && e.timeS < 60), `no event inside the hole: ${events.filter((e) => e.timeS > 39.9 && e.timeS < 61).map((e) => e.timeS.toFixed(2))}`);
  const offline = new InsoleEvents().run({ rateHz: w.rateHz, left: w.left, right: w.right }).filter((e) => e.label === 'initial_contact');
  const after = offline.filter((e) => e.timeS > 61.5 && e.timeS < 70);
  for (const e of after) assert.ok(events.some((l) => l.label === 'initial_contact' && l.side === e.side && Math.abs(l.timeS - e.timeS) <= 0.03), `strike ${e.side} ${e.timeS.toFixed(2)} found after the hole`);
  const s = offline.map((e) => e.timeS).filter((t) => t >= 60 && t <= 65);
  const want = ((s.length - 1) / (s[s.length - 1] - s[0])) * 60;
  assert.ok(cadenceAt65 !== null && Math.abs(cadenceAt65 - want) < 5, `cadence at 65 s ${cadenceAt65}, offline ${want.toFixed(1)}`);
});

test('points the stream cannot place are ignored (one without a time first, repeated and late ones, ones without a value): the events are the clean walk\'s', () => {
  const w = walk('GaCo01_01.txt.gz');
  const clean = runLive(w, 2).events;
  const g = new LiveInsoleGait();
  const events: LiveGaitEvent[] = [];
  events.push(...g.push('left', NaN, 700), ...g.push('right', NaN, 0));
  for (let i = 0; i < w.timeS.length; i += 2) {
    events.push(...g.push('left', w.timeS[i], w.left[i]), ...g.push('right', w.timeS[i], w.right[i]));
    if (i % 100 === 0) {
      events.push(...g.push('left', w.timeS[i], 5000), ...g.push('right', w.timeS[i] - 0.5, 5000));
      events.push(...g.push('left', w.timeS[i] + 0.001, NaN), ...g.push('right', w.timeS[i] + 0.001, Infinity));
    }
  }
  assert.ok(clean.length > 300, `clean events ${clean.length}`);
  assert.deepEqual(events, clean);
});

test('a flat or unloaded insole gives no live events and no cadence', () => {
  const g = new LiveInsoleGait();
  const out: LiveGaitEvent[] = [];
  for (let i = 0; i < 1000; i++) out.push(...g.push('left', i / 50, 3 + (i % 7)), ...g.push('right', i / 50, 0));
  assert.deepEqual(out, []);
  assert.equal(g.cadenceStepsPerMin(), null);
});

test('impossible thresholds are refused', () => {
  assert.throws(() => new LiveInsoleGait({ onFraction: 0.05, offFraction: 0.1 }), /onFraction ≥ offFraction/);
});
