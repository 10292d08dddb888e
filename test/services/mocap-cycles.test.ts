// Motion-capture trials (issue 22): gait cycles of every channel cut from the best event source, each cycle's
// foot-off and opposite-foot events, Plug-in-Gait planes, and kinematic events where a file names none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { createDispatcher, type Dispatch } from '../../src-main/services/dispatch';
import { importPaths } from '../../src-main/services/import-service';
import { latestRun } from '../../src-main/store/runs';
import type { TrialSignals } from '../../src-shared/methods';
import { checkedDispatch } from '../api-contract';
import { trialFromFiles } from '../methods/trial-from-files';
import { sharedData, tempDir } from '../helpers';

let ctx: ServiceContext;
let call: Dispatch;
const trials: Record<string, string> = {};
const files: Record<string, TrialSignals> = {};

/** The value of a channel at a time, by linear interpolation between its two samples (independent of the normaliser). */
function valueAt(values: ArrayLike<number>, rateHz: number, timeS: number): number {
  const p = timeS * rateHz;
  const i = Math.floor(p);
  const f = p - i;
  return f === 0 ? values[i] : values[i] * (1 - f) + values[i + 1] * f;
}

/** Every cycle of a channel starts and ends at the value the channel has at its event times. */
function assertCutAtEvents(file: TrialSignals, cycles: Array<{ channel: string; startS: number; endS: number; curve: number[] }>): void {
  assert.ok(cycles.length > 0);
  for (const c of cycles) {
    const ch = file.channels.get(c.channel)!;
    // Stored curves are float32: compare at float32 precision.
    const tol = 1e-5 * Math.max(1, Math.abs(valueAt(ch.values, ch.rateHz!, c.startS)));
    assert.ok(Math.abs(c.curve[0] - valueAt(ch.values, ch.rateHz!, c.startS)) <= tol, `${c.channel} at ${c.startS} s`);
    assert.ok(Math.abs(c.curve[c.curve.length - 1] - valueAt(ch.values, ch.rateHz!, c.endS)) <= 1e-5 * Math.max(1, Math.abs(c.curve[c.curve.length - 1])), `${c.channel} at ${c.endS} s`);
  }
}

before(async () => {
  ctx = openServiceContext({ dbPath: join(tempDir(), 'mocap.db'), mode: 'cli' });
  call = checkedDispatch(createDispatcher(ctx));
  const names = ['gait-pig', 'gait-raw', 'btk-Gait', 'Walking_Hybrid_1_1'];
  await importPaths(ctx, names.map((n) => sharedData('horst2019-gait-c3d', `${n}.c3d`)));
  const listed = ((await call('listTrials', { offset: 0, limit: 100 })) as any).trials;
  for (const n of names) {
    trials[n] = listed.find((t: any) => t.key === n).id;
    files[n] = await trialFromFiles([sharedData('horst2019-gait-c3d', `${n}.c3d`)]);
  }
});
after(() => closeServiceContext(ctx));

test("gait-pig.c3d: every channel is cut at the file's foot strikes (two left and one right full cycles), with foot off and the opposite foot's events", async () => {
  const t = trials['gait-pig'];
  const ex = (await call('extractCycles', { trialId: t })) as any;
  // The plate stances stay the trial's latest run (its parameters read them); the gait cycles came from the file.
  assert.deepEqual(ex.runs.map((r: any) => [r.method, r.eventSource]), [['PlateStances', 'plates'], ['GaitCycleSegmentation', 'file']]);
  assert.equal(latestRun(ctx.db, t, 'cycles')!.method, 'PlateStances');
  const knee = ((await call('getCycles', { trialId: t, kind: 'gait_cycle', channel: 'A22:LKneeAngles_x' })) as any).cycles;
  // EVENT group: Left Foot Strike 0.57, 1.52, 2.48 s; Right Foot Strike 1.03625, 2.0 s; Left Foot Off 1.1525, 2.12;
  // Right Foot Off 1.61125, 2.6 s.
  assert.deepEqual(knee.map((c: any) => [c.side, c.startS, c.endS, c.eventSource]), [
    ['left', 0.57, 1.52, 'file'], ['left', 1.52, 2.48, 'file'], ['right', 1.03625, 2, 'file'],
  ]);
  const pct = (t0: number, t1: number, t: number) => (100 * (t - t0)) / (t1 - t0);
  assert.deepEqual(knee.map((c: any) => [c.footOffPercent, c.oppositeFootOffPercent, c.oppositeFootStrikePercent].map((v: number | null) => (v === null ? null : +v.toFixed(6)))), [
    [pct(0.57, 1.52, 1.1525), null, pct(0.57, 1.52, 1.03625)],
    [pct(1.52, 2.48, 2.12), pct(1.52, 2.48, 1.61125), pct(1.52, 2.48, 2)],
    [pct(1.03625, 2, 1.61125), pct(1.03625, 2, 1.1525), pct(1.03625, 2, 1.52)],
  ].map((r) => r.map((v) => (v === null ? null : +v.toFixed(6)))));
  for (const c of knee) {
    assert.equal(c.curve.length, 101);
    assert.deepEqual([c.plane, c.label, c.unit], ['sagittal', 'Knee angle (L), sagittal', 'deg']);
    // Peak knee flexion in swing, 50–70° in healthy walking.
    assert.ok(Math.max(...c.curve) > 50 && Math.max(...c.curve) < 70, String(Math.max(...c.curve)));
  }
  assertCutAtEvents(files['gait-pig'], knee);

  // Every time-domain channel (points at 50 Hz, model outputs, analogs and plates at 800 Hz), three cycles each.
  const all = ((await call('getCycles', { trialId: t, kind: 'gait_cycle' })) as any).cycles;
  const timed = [...files['gait-pig'].channels.values()].filter((c) => c.domain === 'time' && c.rateHz);
  assert.ok(timed.length > 250, String(timed.length));
  assert.equal(all.length, 3 * timed.length);
  assert.deepEqual(new Set(all.map((c: any) => c.channel)), new Set(timed.map((c) => c.name)));
  // An 800 Hz analog channel: 0.57 s and 1.52 s are its samples 456 and 1216 exactly.
  const fz = all.filter((c: any) => c.channel === 'FP1_Fz' && c.side === 'left');
  const fzValues = files['gait-pig'].channels.get('FP1_Fz')!.values;
  assert.equal(fz[0].curve[0], fzValues[456]);
  assert.equal(fz[0].curve[100], fzValues[1216]);
  assertCutAtEvents(files['gait-pig'], all.filter((c: any) => /Moment|Power|Angles_y|LASI|EMG1|FP2_Fx/.test(c.channel)));
  // Component meaning where Plug-in-Gait's convention is known, the raw axis elsewhere.
  const meaning = (name: string) => all.find((c: any) => c.channel === name);
  assert.equal(meaning('A22:RHipAngles_y').plane, 'frontal');
  assert.equal(meaning('A22:LAnkleAngles_z').plane, 'transverse');
  assert.equal(meaning('A22:LKneeMoment_x').label, 'Knee moment (L), sagittal');
  assert.equal(meaning('A22:LHipPower_z').plane, 'total');
  assert.equal(meaning('A22:LHipPower_x').plane, null);
  assert.deepEqual([meaning('A22:LASI_x').plane, meaning('A22:LASI_x').label], [null, 'A22:LASI_x']);
});

test('a manual foot strike joins the chosen events (the source says so); a source the trial lacks is refused in one line', async () => {
  const t = trials['gait-pig'];
  await assert.rejects(call('extractCycles', { trialId: t, eventSource: 'kinematic' }), {
    message: 'eventSource "kinematic": the trial has no foot strikes from that source (it has: file, plates, detector)',
  });
  const added = (await call('addEvent', { trialId: t, label: 'initial_contact', side: 'right', timeS: 0.08 })) as any;
  await call('extractCycles', { trialId: t });
  const right = ((await call('getCycles', { trialId: t, kind: 'gait_cycle', channel: 'A22:RKneeAngles_x' })) as any).cycles.filter((c: any) => c.side === 'right');
  assert.deepEqual(right.map((c: any) => [c.startS, c.endS, c.eventSource]), [[0.08, 1.03625, 'file+manual'], [1.03625, 2, 'file+manual']]);
  // The user may choose the plates: their single contacts per foot hold no whole cycle (only the manual strike's).
  const plates = (await call('extractCycles', { trialId: t, eventSource: 'plates' })) as any;
  assert.equal(plates.runs[1].eventSource, 'plates+manual');
  await call('deleteEvent', { eventId: added.event.id });
  await call('extractCycles', { trialId: t });
  assert.equal(((await call('getCycles', { trialId: t, kind: 'gait_cycle', channel: 'A22:RKneeAngles_x' })) as any).cycles.filter((c: any) => c.side === 'right').length, 1);
});

test('btk-Gait.c3d (no EVENT group, one contact per plate): kinematic events run by themselves and cut the cycles', async () => {
  const t = trials['btk-Gait'];
  // The plates alone hold one contact per foot, no whole cycle: the extraction runs KinematicEvents first.
  const ex = (await call('extractCycles', { trialId: t })) as any;
  assert.deepEqual(ex.runs.map((r: any) => [r.method, r.eventSource]), [['PlateStances', 'plates'], ['GaitCycleSegmentation', 'kinematic']]);
  const ev = (await call('getEvents', { trialId: t })) as any;
  assert.equal(ev.detector.name, 'KinematicEvents');
  const strikes = (side: string) => ev.events.filter((e: any) => e.source === 'KinematicEvents' && e.label === 'initial_contact' && e.side === side).map((e: any) => e.timeS);
  // Asked for the plates alone, there is no whole cycle.
  await call('extractCycles', { trialId: t, eventSource: 'plates' });
  assert.deepEqual(((await call('getCycles', { trialId: t, kind: 'gait_cycle' })) as any).cycles, []);
  await call('extractCycles', { trialId: t, eventSource: 'auto' });
  const knee = ((await call('getCycles', { trialId: t, kind: 'gait_cycle', channel: 'LKNE_z' })) as any).cycles;
  assert.deepEqual(knee.map((c: any) => [c.side, c.startS, c.endS, c.eventSource]), [
    ['left', strikes('left')[0], strikes('left')[1], 'kinematic'], ['right', strikes('right')[0], strikes('right')[1], 'kinematic'],
  ]);
  assertCutAtEvents(files['btk-Gait'], knee);
  // The plates still give their stances, with their sides.
  assert.deepEqual(((await call('getCycles', { trialId: t, kind: 'stance', channel: 'FP1_Fz' })) as any).cycles.map((c: any) => c.side), ['left']);
  // Kinematic strikes agree with the plates' within 60 ms, offs within 10 ms.
  for (const p of ev.events.filter((e: any) => e.source === 'ForceThresholdEvents')) {
    const k = ev.events.filter((e: any) => e.source === 'KinematicEvents' && e.label === p.label && e.side === p.side).map((e: any) => Math.abs(e.timeS - p.timeS));
    assert.ok(Math.min(...k) < (p.label === 'initial_contact' ? 0.06 : 0.01), `${p.label} ${p.side}: ${Math.min(...k)} s`);
  }
});

test('Walking_Hybrid_1_1.c3d (Qualisys labels): KinematicEvents with the lab\'s marker names; without them, one line naming the missing markers and nothing stored', async () => {
  const t = trials['Walking_Hybrid_1_1'];
  const before = (ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  await assert.rejects(call('detectEvents', { trialId: t, detector: 'KinematicEvents' }), { message: `KinematicEvents: trial ${t} has no marker LHEE, RHEE, LTOE, RTOE` });
  await assert.rejects(call('detectEvents', { trialId: t, detector: 'KinematicEvents', params: { leftHeel: 'L HEEL' } }), {
    message: 'KinematicEvents: parameter leftHeel = "L HEEL" is not a marker label (letters, digits, _ . -; no subject prefix)',
  });
  assert.equal((ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n, before);
  const ev = (await call('detectEvents', { trialId: t, detector: 'KinematicEvents', params: { leftHeel: 'L_HEEL', rightHeel: 'R_HEEL', leftToe: 'L_MT_1', rightToe: 'R_MT_1' } })) as any;
  assert.deepEqual(ev.detector.params.pelvis, 'auto');
  const kin = ev.events.filter((e: any) => e.source === 'KinematicEvents');
  assert.equal(kin[0].params.markers.pelvis, 'SACRUM');
  await call('extractCycles', { trialId: t });
  const cycles = ((await call('getCycles', { trialId: t, kind: 'gait_cycle', channel: 'L_HEEL_z' })) as any).cycles;
  assert.ok(cycles.length >= 3, String(cycles.length));
  for (const c of cycles) {
    assert.equal(c.eventSource, 'kinematic');
    assert.ok(kin.some((e: any) => e.label === 'initial_contact' && e.side === c.side && e.timeS === c.startS));
    assert.ok(c.footOffPercent > 50 && c.footOffPercent < 75, String(c.footOffPercent));
  }
  assertCutAtEvents(files['Walking_Hybrid_1_1'], cycles);
});
