// Events, cycles and parameters of stored trials, through the dispatcher as every face calls them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { createDispatcher, type Dispatch } from '../../src-main/services/dispatch';
import { importPaths } from '../../src-main/services/import-service';
import { verifyAudit } from '../../src-main/store/audit';
import { checkedDispatch } from '../api-contract';
import { sharedData, tempDir } from '../helpers';

const dbPath = join(tempDir(), 'gait.db');

/** `x`, asserted present (a find that must find). */
function found<T>(x: T | null | undefined, what: string): T {
  assert.ok(x !== null && x !== undefined, `${what} is missing`);
  return x;
}

/** A measured value, asserted to be a number. */
const value = (m: { value: number | null }): number => found(m.value, 'a measured value');
let ctx: ServiceContext;
let call: Dispatch;
let trialId: string;
let subjectId: string;

before(async () => {
  ctx = openServiceContext({ dbPath, mode: 'cli' });
  call = checkedDispatch(createDispatcher(ctx));
  await importPaths(ctx, [sharedData('gaitpdb', 'SiCo01_01.txt.gz'), sharedData('gaitpdb', 'GaCo01_01.txt.gz'), sharedData('gaitpdb', 'GaCo01_01.txt.gz')]);
  const s = await call('listSubjects', { search: 'SiCo01' });
  subjectId = s.subjects[0].id;
  trialId = (await call('listTrials', { subjectId })).trials[0].id;
});
after(() => closeServiceContext(ctx));

test('the first request for events runs the insole detector and stores its events with their thresholds', async () => {
  const r = await call('getEvents', { trialId });
  assert.equal(r.detector?.name, 'InsoleEvents');
  assert.equal(r.detector?.params.onFraction, 0.1);
  const ic = r.events.filter((e) => e.label === 'initial_contact');
  const fc = r.events.filter((e) => e.label === 'final_contact');
  // A 121 s walk at ~1.1 s strides: about 100 initial contacts per foot.
  for (const side of ['left', 'right']) {
    const n = ic.filter((e) => e.side === side).length;
    assert.ok(n > 90 && n < 120, `${side} initial contacts: ${n}`);
  }
  assert.ok(Math.abs(ic.length - fc.length) <= 2);
  for (const e of r.events) {
    assert.equal(e.source, 'InsoleEvents');
    const threshold = found(e.threshold, `threshold of event ${e.id}`);
    assert.equal(threshold.unit, 'N');
    assert.ok(threshold.value > 20 && threshold.value < 400, String(threshold.value));
  }
  // Stored: a second request returns the same events without running again.
  const again = await call('getEvents', { trialId });
  assert.deepEqual(again.events.map((e) => e.id), r.events.map((e) => e.id));
});

test('cycles are 101-point curves with their interval; incomplete or implausible ones are flagged, not dropped', async () => {
  const r = await call('getCycles', { trialId, kind: 'gait_cycle' });
  assert.ok(r.cycles.length > 180);
  for (const c of r.cycles) {
    assert.equal(c.curve.length, 101);
    assert.ok(c.endS > c.startS);
    assert.equal(c.unit, 'N');
    assert.equal(c.channel, c.side === 'left' ? 'L_total' : 'R_total');
  }
  const clean = r.cycles.filter((c) => c.flags.length === 0);
  assert.ok(clean.length > 0.8 * r.cycles.length);
  const durations = clean.map((c) => c.endS - c.startS);
  assert.ok(Math.min(...durations) > 0.8 && Math.max(...durations) < 1.5);
  const stances = await call('getCycles', { trialId, kind: 'stance' });
  assert.ok(stances.cycles.length > 180);
});

test('parameters per side with units and symmetry, in the published range for a healthy older adult', async () => {
  const p = await call('getParams', { trialId });
  const get = (name: string, side: string | null) => found(p.parameters.find((x) => x.name === name && x.side === side), `${name} ${side}`);
  const stride = get('stride_time', null);
  assert.equal(stride.mean.unit, 's');
  const strideS = value(stride.mean);
  assert.ok(strideS > 0.9 && strideS < 1.3, String(strideS)); // 1.08 ± 0.09 s (Frenkel-Toledo 2005)
  assert.ok(value(stride.cv) > 0.5 && value(stride.cv) < 5, String(stride.cv.value));
  const cadence = get('cadence', null);
  assert.equal(cadence.mean.unit, 'steps/min');
  assert.ok(Math.abs(value(cadence.mean) - 120 / strideS) < 1e-9);
  const stance = get('stance', 'left');
  assert.ok(value(stance.mean) > 55 && value(stance.mean) < 70);
  const sym = found(p.symmetry.find((s) => s.name === 'stride_time'), 'stride_time symmetry');
  assert.equal(sym.symmetryIndex.unit, '%');
  assert.ok(Math.abs(value(sym.symmetryIndex)) < 5);
  assert.equal(p.curveSymmetry[0].channel, 'L_total / R_total');
  assert.equal(p.curveSymmetry[0].nsi.length, 101);
});

test('a correction by hand moves one event, marks it manual, drops the cycles for re-extraction and is audited', async () => {
  const before = await call('getEvents', { trialId });
  const target = found(before.events.find((e) => e.label === 'initial_contact' && e.side === 'left' && e.timeS > 10), 'a left initial contact after 10 s');
  const moved = await call('correctEvent', { eventId: target.id, timeS: target.timeS + 0.05 });
  assert.equal(moved.event.manual, true);
  assert.equal(moved.event.source, 'manual');
  assert.ok(Math.abs(moved.event.timeS - target.timeS - 0.05) < 1e-12);
  assert.equal((ctx.db.prepare('SELECT COUNT(*) AS n FROM cycles WHERE trial_id = ?').get(trialId) as { n: number }).n, 0);
  const cycles = await call('getCycles', { trialId, kind: 'gait_cycle' });
  assert.ok(cycles.cycles.some((c) => Math.abs(c.startS - moved.event.timeS) < 1e-6));
  // Re-detecting keeps the manual event.
  const redo = await call('detectEvents', { trialId });
  assert.ok(redo.events.some((e) => e.id === target.id && e.manual));
  const audit = ctx.db.prepare("SELECT old_value, new_value FROM audit_log WHERE action = 'correct-event'").get() as { old_value: string; new_value: string };
  assert.equal(JSON.parse(audit.old_value).timeS, target.timeS);
  assert.equal(verifyAudit(ctx.db).ok, true);
});

test('bad requests name the field; unknown detectors and trials are clear errors', async () => {
  await assert.rejects(call('correctEvent', { eventId: '1', timeS: -3 }), /correctEvent: field timeS: /);
  await assert.rejects(call('detectEvents', { trialId, detector: 'Magic' }), /unknown detector "Magic" \(known: InsoleEvents, ForceThresholdEvents, ShankGyroEvents, FootImuEvents\)/);
  await assert.rejects(call('getEvents', { trialId: 'T-NOPE0000' }), /no trial T-NOPE0000/);
  await assert.rejects(call('detectEvents', { trialId, params: { stanceForceN: 900 } }), /InsoleEvents has no parameter "stanceForceN" \(its parameters: onFraction, /);
  await assert.rejects(call('detectEvents', { trialId, params: { onFraction: 'high' } }), /parameter onFraction must be a number, got "high"/);
  // A run with other parameters is what getEvents reports afterwards: the run's own parameters, not an event's details.
  const run = await call('detectEvents', { trialId, params: { onFraction: 0.12 } });
  assert.equal(run.detector?.params.onFraction, 0.12);
  assert.deepEqual((await call('getEvents', { trialId })).detector, run.detector);
  assert.equal('stanceForceN' in (run.detector?.params ?? {}), false);
  await assert.rejects(call('getParams', {}), /give trialId or subjectId/);
});

test('parameters of a subject pool the strides of all its trials', async () => {
  const s = await call('listSubjects', { search: 'GaCo01' });
  const p = await call('getParams', { subjectId: s.subjects[0].id });
  assert.equal(p.trials.length, 1);
  assert.ok(p.strides.left > 80);
});

test('force-plate trials: contacts at 20 N / 10 N, sides from the file\'s events, one stance per plate contact', async () => {
  await importPaths(ctx, [sharedData('horst2019-gait-c3d', 'gait-pig.c3d')]);
  const t = found((await call('listTrials', { offset: 0, limit: 1000 })).trials.find((x) => x.key === 'gait-pig'), 'the trial');
  const ev = await call('getEvents', { trialId: t.id });
  assert.equal(ev.detector?.name, 'ForceThresholdEvents');
  const plate = ev.events.filter((e) => e.source === 'ForceThresholdEvents');
  assert.deepEqual(plate.map((e) => [e.label, e.side, e.params?.plate]), [
    ['initial_contact', 'left', 'FP1'], ['initial_contact', 'right', 'FP2'], ['final_contact', 'left', 'FP1'], ['final_contact', 'right', 'FP2'],
  ]);
  // Within 15 ms of the file's own Foot Strike / Foot Off events.
  for (const e of plate) {
    const file = ev.events.find((f) => f.source === 'c3d:EVENT' && f.label === e.label && f.side === e.side && Math.abs(f.timeS - e.timeS) < 0.05);
    assert.ok(file && Math.abs(file.timeS - e.timeS) < 0.015, `${e.label} ${e.side} at ${e.timeS}`);
  }
  const st = await call('getCycles', { trialId: t.id, kind: 'stance', channel: 'FP1_Fz' });
  assert.equal(st.cycles.length, 1);
  const c = st.cycles[0];
  assert.equal(c.side, 'left');
  assert.ok(c.endS - c.startS > 0.5 && c.endS - c.startS < 0.8);
  assert.deepEqual(c.flags, []);
  assert.ok(Math.max(...c.curve) > 500 && Math.max(...c.curve) < 900, String(Math.max(...c.curve))); // N, for a ~60 kg walker
});

test('foot IMUs: initial contacts within 20 ms (median) of the annotated ones on a Voisard trial', async () => {
  await importPaths(ctx, [sharedData('voisard2023-ipol-imu-healthy')]);
  const t = found((await call('listTrials', { offset: 0, limit: 1000 })).trials.find((x) => x.key === '1-1'), 'the trial');
  const ev = await call('getEvents', { trialId: t.id });
  assert.equal(ev.detector?.name, 'FootImuEvents');
  const annotated = ev.events.filter((e) => e.source === 'annotation' && e.label === 'initial_contact');
  const detected = ev.events.filter((e) => e.source === 'FootImuEvents' && e.label === 'initial_contact');
  assert.equal(annotated.length, 35);
  const errors = annotated.map((a) => Math.min(...detected.filter((d) => d.side === a.side).map((d) => Math.abs(d.timeS - a.timeS))) * 1000).sort((x: number, y: number) => x - y);
  assert.ok(errors[errors.length >> 1] <= 20, `median ${errors[errors.length >> 1]} ms`);
  assert.ok(errors.filter((e: number) => e < 100).length >= 0.85 * errors.length);
});

test('shank gyroscopes (HuGaDB): the axis sign is chosen by plausible stance, giving distinct contacts', async () => {
  await importPaths(ctx, [sharedData('hugadb', 'HuGaDB_v1_walking_08_00.txt')]);
  const t = found((await call('listTrials', { offset: 0, limit: 1000 })).trials.find((x) => /walking_08_00/.test(x.sourceFile ?? '')), 'the trial');
  const ev = await call('getEvents', { trialId: t.id });
  assert.equal(ev.detector?.name, 'ShankGyroEvents');
  assert.ok([1, -1].includes(Number(ev.detector?.params.swingSign)));
  const ic = ev.events.filter((e) => e.label === 'initial_contact').map((e) => e.timeS);
  const fc = new Set(ev.events.filter((e) => e.label === 'final_contact').map((e) => e.timeS));
  assert.ok(ic.filter((x: number) => fc.has(x)).length < 0.05 * ic.length, 'initial and final contacts coincide');
  const p = await call('getParams', { trialId: t.id });
  const stance = found(p.parameters.find((x) => x.name === 'stance' && x.side === null), 'stance');
  assert.ok(stance.n >= 15 && value(stance.mean) > 40 && value(stance.mean) < 80, JSON.stringify(stance));
});
