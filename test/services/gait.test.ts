// Events, cycles and parameters of stored trials, through the dispatcher as every face calls them: reads that
// do not write, explicit detection and extraction that store run rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { createDispatcher, type Dispatch } from '../../src-main/services/dispatch';
import { checkedDispatch } from '../api-contract';
import { importPaths } from '../../src-main/services/import-service';
import { verifyAudit } from '../../src-main/store/audit';
import { latestRun, listRuns, readRun } from '../../src-main/store/runs';
import { sharedData, tempDir } from '../helpers';

const dbPath = join(tempDir(), 'gait.db');
let ctx: ServiceContext;
let call: Dispatch;
let trialId: string;
let subjectId: string;

/** Rows changed on the connection so far: a read must leave it where it was. */
const changes = () => (ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

async function readsOnly<T>(work: () => Promise<T>): Promise<T> {
  const before = changes();
  const result = await work();
  assert.equal(changes(), before, 'a read wrote to the database');
  return result;
}

before(async () => {
  ctx = openServiceContext({ dbPath, mode: 'cli' });
  call = checkedDispatch(createDispatcher(ctx));
  await importPaths(ctx, [sharedData('gaitpdb', 'SiCo01_01.txt.gz'), sharedData('gaitpdb', 'GaCo01_01.txt.gz'), sharedData('gaitpdb', 'GaCo01_01.txt.gz')]);
  const s = (await call('listSubjects', { search: 'SiCo01' })) as any;
  subjectId = s.subjects[0].id;
  trialId = ((await call('listTrials', { subjectId })) as any).trials[0].id;
});
after(() => closeServiceContext(ctx));

test('getEvents reads only: before any detection it names the detector that fits; detectEvents runs it and stores a run row', async () => {
  const first = (await readsOnly(() => call('getEvents', { trialId }))) as any;
  assert.deepEqual(first, { events: [], detector: null, pendingDetector: 'InsoleEvents' });

  const r = (await call('detectEvents', { trialId })) as any;
  assert.equal(r.detector.name, 'InsoleEvents');
  assert.equal(r.detector.version, '1.0.0');
  assert.deepEqual(r.detector.params, { onFraction: 0.1, offFraction: 0.05, baselineWindowS: 4, loadedFraction: 0.2, minContactS: 0.15, minGapS: 0.1 });
  assert.equal(r.pendingDetector, null);
  const ic = r.events.filter((e: any) => e.label === 'initial_contact');
  const fc = r.events.filter((e: any) => e.label === 'final_contact');
  // A 121 s walk at ~1.1 s strides: about 100 initial contacts per foot.
  for (const side of ['left', 'right']) {
    const n = ic.filter((e: any) => e.side === side).length;
    assert.ok(n > 90 && n < 120, `${side} initial contacts: ${n}`);
  }
  assert.ok(Math.abs(ic.length - fc.length) <= 2);
  for (const e of r.events) {
    assert.equal(e.source, 'InsoleEvents');
    assert.equal(e.runId, r.detector.runId);
    assert.equal(e.threshold.unit, 'N');
    assert.ok(e.threshold.value > 20 && e.threshold.value < 400, String(e.threshold.value));
    // Every event carries every parameter of its run, plus its own details.
    for (const [k, v] of Object.entries(r.detector.params)) assert.equal(e.params[k], v);
    assert.ok(e.params.stanceForceN > 0);
  }
  // The run is a row of its own: method, version, parameters, the trial with its content hash, a summary, time, actor.
  const run = readRun(ctx.db, r.detector.runId)!;
  const trial = ((await call('listTrials', { subjectId })) as any).trials[0];
  assert.deepEqual([run.method, run.version, run.role, run.trialId, run.actor], ['InsoleEvents', '1.0.0', 'gait-events', trialId, ctx.actor]);
  assert.deepEqual(run.params, r.detector.params);
  assert.deepEqual(run.inputs.trials, [{ trialId, contentSha256: trial.contentSha256 }]);
  assert.equal(run.outputs.events, r.events.length);
  assert.ok(run.startedAt <= run.finishedAt);
  // Stored: a second request reads the same events and the same run, writing nothing.
  const again = (await readsOnly(() => call('getEvents', { trialId }))) as any;
  assert.deepEqual(again.events.map((e: any) => e.id), r.events.map((e: any) => e.id));
  assert.deepEqual(again.detector, r.detector);
  // A first view that comes second (another panel, another window) detects nothing again.
  const late = (await readsOnly(() => call('detectEvents', { trialId, onlyIfPending: true }))) as any;
  assert.deepEqual(late, again);
});

test('getCycles reads only and lists unextracted trials; extractCycles stores 101-point cycles, flagged not dropped, with a run row', async () => {
  const none = (await readsOnly(() => call('getCycles', { trialId, kind: 'gait_cycle' }))) as any;
  assert.deepEqual(none, { cycles: [], unextracted: [trialId] });
  const ex = (await call('extractCycles', { trialId })) as any;
  assert.equal(ex.runs.length, 1);
  assert.equal(ex.runs[0].method, 'GaitCycleSegmentation');
  assert.equal(ex.runs[0].params.minCycleS, 0.4);
  const r = (await readsOnly(() => call('getCycles', { trialId, kind: 'gait_cycle' }))) as any;
  assert.deepEqual(r.unextracted, []);
  assert.ok(r.cycles.length > 180);
  for (const c of r.cycles) {
    assert.equal(c.curve.length, 101);
    assert.ok(c.endS > c.startS);
    assert.equal(c.unit, 'N');
    assert.equal(c.channel, c.side === 'left' ? 'L_total' : 'R_total');
  }
  const clean = r.cycles.filter((c: any) => c.flags.length === 0);
  assert.ok(clean.length > 0.8 * r.cycles.length);
  // Insole cycles come from the detector's contacts, and carry their foot off (≈ 60 %) and the other foot's events.
  for (const c of clean) {
    assert.equal(c.eventSource, 'detector');
    assert.ok(c.footOffPercent > 40 && c.footOffPercent < 80, String(c.footOffPercent));
    assert.ok(c.oppositeFootStrikePercent > 35 && c.oppositeFootStrikePercent < 65, String(c.oppositeFootStrikePercent));
    assert.equal(c.plane, null);
  }
  const durations = clean.map((c: any) => c.endS - c.startS);
  assert.ok(Math.min(...durations) > 0.8 && Math.max(...durations) < 1.5);
  const stances = (await call('getCycles', { trialId, kind: 'stance' })) as any;
  assert.ok(stances.cycles.length > 180);
  // The run names the events it read (their hash and the detector run) and what it gave.
  const run = readRun(ctx.db, ex.runs[0].runId)!;
  assert.equal(run.inputs.trials[0].trialId, trialId);
  const read = run.inputs.events as { sha256: string; count: number; detectorRunId: string };
  assert.match(read.sha256, /^[0-9a-f]{64}$/);
  assert.equal(read.detectorRunId, latestRun(ctx.db, trialId, 'gait-events')!.id);
  assert.equal(run.outputs.curves, r.cycles.length + stances.cycles.length);
  // Extracting again while the events are unchanged runs nothing.
  assert.deepEqual(((await call('extractCycles', { trialId })) as any).runs, []);
});

test('parameters per side with units and symmetry, in the published range for a healthy older adult (a read)', async () => {
  const p = (await readsOnly(() => call('getParams', { trialId }))) as any;
  assert.deepEqual(p.pendingDetection, []);
  const get = (name: string, side: string | null) => p.parameters.find((x: any) => x.name === name && x.side === side);
  const stride = get('stride_time', null);
  assert.equal(stride.mean.unit, 's');
  assert.ok(stride.mean.value > 0.9 && stride.mean.value < 1.3, String(stride.mean.value)); // 1.08 ± 0.09 s (Frenkel-Toledo 2005)
  assert.ok(stride.cv.value > 0.5 && stride.cv.value < 5, String(stride.cv.value));
  const cadence = get('cadence', null);
  assert.equal(cadence.mean.unit, 'steps/min');
  assert.ok(Math.abs(cadence.mean.value - 120 / stride.mean.value) < 1e-9);
  const stance = get('stance', 'left');
  assert.ok(stance.mean.value > 55 && stance.mean.value < 70);
  const sym = p.symmetry.find((s: any) => s.name === 'stride_time');
  assert.equal(sym.symmetryIndex.unit, '%');
  assert.ok(Math.abs(sym.symmetryIndex.value) < 5);
  assert.equal(p.curveSymmetry[0].channel, 'L_total / R_total');
  assert.equal(p.curveSymmetry[0].nsi.length, 101);
});

test('the segmentation settings are parameters: an extraction with others is stored with them and flags by them', async () => {
  // The median stride as the shortest plausible one: about half the strides are then out of range.
  const durations = ((await call('getCycles', { trialId, kind: 'gait_cycle' })) as any).cycles.filter((c: any) => !c.flags.includes('trial_edge')).map((c: any) => c.endS - c.startS).sort((a: number, b: number) => a - b);
  const minCycleS = Math.round(durations[durations.length >> 1] * 100) / 100;
  const ex = (await call('extractCycles', { trialId, params: { minCycleS } })) as any;
  assert.equal(ex.runs[0].params.minCycleS, minCycleS);
  assert.equal(readRun(ctx.db, ex.runs[0].runId)!.params.maxCycleS, 2.5);
  const cycles = ((await call('getCycles', { trialId, kind: 'gait_cycle' })) as any).cycles.filter((c: any) => !c.flags.includes('trial_edge'));
  const short = cycles.filter((c: any) => c.endS - c.startS < minCycleS);
  assert.ok(short.length > 0.3 * cycles.length, `${short.length} of ${cycles.length} cycles under ${minCycleS} s`);
  for (const c of cycles) assert.equal(c.flags.includes('duration_out_of_range'), c.endS - c.startS < minCycleS || c.endS - c.startS > 2.5, JSON.stringify(c.flags));
  // Parameters follow the last extraction's settings: fewer clean strides.
  const p = (await call('getParams', { trialId })) as any;
  assert.ok(p.strides.flagged >= short.length, `${p.strides.flagged} flagged strides`);
  await assert.rejects(call('extractCycles', { trialId, params: { minCycleS: 3 } }), { message: 'GaitCycleSegmentation: parameter minCycleS = 3 is out of range (0 < minCycleS < maxCycleS = 2.5 s)' });
  await call('extractCycles', { trialId, params: {} });
});

test('a correction by hand moves one event, marks it manual, makes the cycles stale for re-extraction and is audited', async () => {
  const before = (await call('getEvents', { trialId })) as any;
  const target = before.events.find((e: any) => e.label === 'initial_contact' && e.side === 'left' && e.timeS > 10);
  const moved = (await call('correctEvent', { eventId: target.id, timeS: target.timeS + 0.05 })) as any;
  assert.equal(moved.event.manual, true);
  assert.equal(moved.event.source, 'manual');
  assert.ok(Math.abs(moved.event.timeS - target.timeS - 0.05) < 1e-12);
  assert.equal((ctx.db.prepare('SELECT COUNT(*) AS n FROM cycles WHERE trial_id = ?').get(trialId) as { n: number }).n, 0);
  assert.deepEqual(((await readsOnly(() => call('getCycles', { trialId }))) as any).unextracted, [trialId]);
  await call('extractCycles', { trialId });
  const cycles = (await call('getCycles', { trialId, kind: 'gait_cycle' })) as any;
  assert.ok(cycles.cycles.some((c: any) => Math.abs(c.startS - moved.event.timeS) < 1e-6));
  // Re-detecting keeps the manual event, and makes the cycles stale again.
  const redo = (await call('detectEvents', { trialId })) as any;
  assert.ok(redo.events.some((e: any) => e.id === target.id && e.manual));
  assert.deepEqual(((await call('getCycles', { trialId })) as any).unextracted, [trialId]);
  const audit = ctx.db.prepare("SELECT old_value, new_value FROM audit_log WHERE action = 'correct-event'").get() as any;
  assert.equal(JSON.parse(audit.old_value).timeS, target.timeS);
  assert.equal(verifyAudit(ctx.db).ok, true);
});

test('bad requests are one line naming the field or the parameter and its range; nothing stored changes', async () => {
  const unchanged = changes();
  await assert.rejects(call('correctEvent', { eventId: '1', timeS: -3 }), /correctEvent: field timeS: /);
  await assert.rejects(call('detectEvents', { trialId, detector: 'Magic' }), { message: 'unknown detector "Magic" (known: InsoleEvents, ForceThresholdEvents, ShankGyroEvents, FootImuEvents, LowerBackImuEvents, KinematicEvents)' });
  await assert.rejects(call('getEvents', { trialId: 'T-NOPE0000' }), /no trial T-NOPE0000/);
  await assert.rejects(call('detectEvents', { trialId, params: { stanceForceN: 900 } }), { message: 'InsoleEvents: unknown parameter "stanceForceN" (known: onFraction, offFraction, baselineWindowS, loadedFraction, minContactS, minGapS)' });
  await assert.rejects(call('detectEvents', { trialId, params: { onFraction: 'high' } }), { message: 'InsoleEvents: parameter onFraction = "high" is not a number (0 < onFraction ≤ 1)' });
  await assert.rejects(call('detectEvents', { trialId, params: { onFraction: 3 } }), { message: 'InsoleEvents: parameter onFraction = 3 is out of range (0 < onFraction ≤ 1)' });
  await assert.rejects(call('detectEvents', { trialId, detector: 'ForceThresholdEvents' }), /^ApiError: ForceThresholdEvents needs FPn_Fz \(force-plate vertical force, N\); trial T-\w+ has /);
  await assert.rejects(call('getParams', {}), /give trialId or subjectId/);
  assert.equal(changes(), unchanged);
  // A run with other parameters is what getEvents reports afterwards: the run row's parameters, not an event's details.
  const run = (await call('detectEvents', { trialId, params: { onFraction: 0.12 } })) as any;
  assert.equal(run.detector.params.onFraction, 0.12);
  assert.deepEqual(((await call('getEvents', { trialId })) as any).detector, run.detector);
  assert.equal('stanceForceN' in run.detector.params, false);
  assert.deepEqual(listRuns(ctx.db, trialId, 'gait-events').map((r) => r.params.onFraction), [0.1, 0.1, 0.12]);
});

test('parameters of a subject pool the strides of all its trials; undetected trials are named, not detected, by the read', async () => {
  const s = (await call('listSubjects', { search: 'GaCo01' })) as any;
  const other = (await readsOnly(() => call('getParams', { subjectId: s.subjects[0].id }))) as any;
  assert.equal(other.trials.length, 1);
  assert.deepEqual(other.pendingDetection, other.trials);
  assert.equal(other.strides.left, 0);
  const ex = (await call('extractCycles', { subjectId: s.subjects[0].id })) as any;
  assert.equal(ex.runs.length, 1);
  const p = (await call('getParams', { subjectId: s.subjects[0].id })) as any;
  assert.deepEqual(p.pendingDetection, []);
  assert.ok(p.strides.left > 80);
});

test("force-plate trials: contacts at 20 N / 10 N, sides from the foot markers (agreeing with the file's events) or a mapping, one stance per plate contact", async () => {
  await importPaths(ctx, [sharedData('horst2019-gait-c3d', 'gait-pig.c3d')]);
  const t = ((await call('listTrials', { offset: 0, limit: 1000 })) as any).trials.find((x: any) => x.key === 'gait-pig');
  assert.equal(((await call('getEvents', { trialId: t.id })) as any).pendingDetector, 'ForceThresholdEvents');
  const ev = (await call('detectEvents', { trialId: t.id })) as any;
  assert.equal(ev.detector.name, 'ForceThresholdEvents');
  assert.equal(ev.detector.params.sideToleranceS, 0.05);
  const plate = ev.events.filter((e: any) => e.source === 'ForceThresholdEvents');
  assert.deepEqual(plate.map((e: any) => [e.label, e.side, e.params.plate, e.params.sideRule]), [
    ['initial_contact', 'left', 'FP1', 'markers'], ['initial_contact', 'right', 'FP2', 'markers'], ['final_contact', 'left', 'FP1', 'markers'], ['final_contact', 'right', 'FP2', 'markers'],
  ]);
  // Within 15 ms of the file's own Foot Strike / Foot Off events.
  for (const e of plate) {
    const file = ev.events.find((f: any) => f.source === 'c3d:EVENT' && f.label === e.label && f.side === e.side && Math.abs(f.timeS - e.timeS) < 0.05);
    assert.ok(file && Math.abs(file.timeS - e.timeS) < 0.015, `${e.label} ${e.side} at ${e.timeS}`);
    assert.equal(file.runId, null);
  }
  const ex = (await call('extractCycles', { trialId: t.id })) as any;
  assert.equal(ex.runs[0].method, 'PlateStances');
  const st = (await call('getCycles', { trialId: t.id, kind: 'stance', channel: 'FP1_Fz' })) as any;
  assert.equal(st.cycles.length, 1);
  const c = st.cycles[0];
  assert.equal(c.side, 'left');
  assert.ok(c.endS - c.startS > 0.5 && c.endS - c.startS < 0.8);
  assert.deepEqual(c.flags, []);
  assert.ok(Math.max(...c.curve) > 500 && Math.max(...c.curve) < 900, String(Math.max(...c.curve))); // N, for a ~60 kg walker
  // The markers decide before the file's events: with no tolerance the sides stay.
  const strict = (await call('detectEvents', { trialId: t.id, params: { sideToleranceS: 0 } })) as any;
  assert.deepEqual(strict.events.filter((e: any) => e.source === 'ForceThresholdEvents').map((e: any) => e.side), ['left', 'right', 'left', 'right']);
  // An explicit mapping outranks them, and says so; the stances follow.
  const mapped = (await call('detectEvents', { trialId: t.id, params: { fp1Side: 'right' } })) as any;
  assert.deepEqual(mapped.events.filter((e: any) => e.source === 'ForceThresholdEvents').map((e: any) => [e.params.plate, e.side, e.params.sideRule]),
    [['FP1', 'right', 'mapping'], ['FP2', 'right', 'markers'], ['FP1', 'right', 'mapping'], ['FP2', 'right', 'markers']]);
  await call('extractCycles', { trialId: t.id });
  assert.deepEqual(((await call('getCycles', { trialId: t.id, kind: 'stance', channel: 'FP1_Fz' })) as any).cycles.map((x: any) => x.side), ['right']);
});

test('Walking_Hybrid_1_1.c3d (no EVENT group): plates get their feet from the markers, and stance and step times come from the contacts', async () => {
  await importPaths(ctx, [sharedData('horst2019-gait-c3d', 'Walking_Hybrid_1_1.c3d')]);
  const t = ((await call('listTrials', { offset: 0, limit: 1000 })) as any).trials.find((x: any) => x.key === 'Walking_Hybrid_1_1');
  const ev = (await call('detectEvents', { trialId: t.id })) as any;
  const contacts = ev.events.filter((e: any) => e.source === 'ForceThresholdEvents');
  assert.deepEqual(contacts.map((e: any) => [e.label, e.side, e.params.plate, e.params.sideRule]), [
    ['initial_contact', 'right', 'FP1', 'markers'], ['initial_contact', 'left', 'FP2', 'markers'],
    ['final_contact', 'right', 'FP1', 'markers'], ['final_contact', 'left', 'FP2', 'markers'],
  ]);
  const time = (label: string, side: string) => contacts.find((e: any) => e.label === label && e.side === side).timeS;
  const p = (await call('getParams', { trialId: t.id })) as any;
  const get = (name: string, side: string | null) => p.parameters.find((x: any) => x.name === name && x.side === side);
  // One contact per foot: no stride, but each foot's stance and the left step (right IC on FP1 → left IC on FP2).
  assert.deepEqual(p.strides, { left: 0, right: 0, flagged: 0 });
  assert.deepEqual([get('stance_time', 'right').mean, get('stance_time', 'right').n], [{ value: time('final_contact', 'right') - time('initial_contact', 'right'), unit: 's' }, 1]);
  assert.deepEqual([get('stance_time', 'left').mean, get('stance_time', 'left').n], [{ value: time('final_contact', 'left') - time('initial_contact', 'left'), unit: 's' }, 1]);
  assert.ok(Math.abs(get('stance_time', 'left').mean.value - 0.621) < 0.001, String(get('stance_time', 'left').mean.value));
  assert.deepEqual([get('step_time', 'left').mean, get('step_time', 'left').n], [{ value: time('initial_contact', 'left') - time('initial_contact', 'right'), unit: 's' }, 1]);
  assert.equal(get('step_time', 'right').n, 0);
  assert.equal(get('stride_time', null).n, 0);
  // The stances carry the sides; the extraction's run says which rule gave each.
  await call('extractCycles', { trialId: t.id });
  const stances = ((await call('getCycles', { trialId: t.id, kind: 'stance', channel: 'FP2_Fz' })) as any).cycles;
  assert.deepEqual(stances.map((c: any) => c.side), ['left']);
  const run = latestRun(ctx.db, t.id, 'cycles')!;
  assert.equal(run.method, 'PlateStances');
  assert.deepEqual((run.outputs.sides as any[]).map((x) => [x.plate, x.side, x.sideRule]), [['FP1', 'right', 'markers'], ['FP2', 'left', 'markers']]);
});

test('foot IMUs: initial contacts within 20 ms (median) of the annotated ones on a Voisard trial', async () => {
  await importPaths(ctx, [sharedData('voisard2023-ipol-imu-healthy')]);
  const t = ((await call('listTrials', { offset: 0, limit: 1000 })) as any).trials.find((x: any) => x.key === '1-1');
  const ev = (await call('detectEvents', { trialId: t.id })) as any;
  assert.equal(ev.detector.name, 'FootImuEvents');
  const annotated = ev.events.filter((e: any) => e.source === 'annotation' && e.label === 'initial_contact');
  const detected = ev.events.filter((e: any) => e.source === 'FootImuEvents' && e.label === 'initial_contact');
  assert.equal(annotated.length, 35);
  const errors = annotated.map((a: any) => Math.min(...detected.filter((d: any) => d.side === a.side).map((d: any) => Math.abs(d.timeS - a.timeS))) * 1000).sort((x: number, y: number) => x - y);
  assert.ok(errors[errors.length >> 1] <= 20, `median ${errors[errors.length >> 1]} ms`);
  assert.ok(errors.filter((e: number) => e < 100).length >= 0.85 * errors.length);
});

test('shank gyroscopes (HuGaDB): the axis sign is chosen by plausible stance, giving distinct contacts', async () => {
  await importPaths(ctx, [sharedData('hugadb', 'HuGaDB_v1_walking_08_00.txt')]);
  const t = ((await call('listTrials', { offset: 0, limit: 1000 })) as any).trials.find((x: any) => /walking_08_00/.test(x.sourceFile));
  const ev = (await call('detectEvents', { trialId: t.id })) as any;
  assert.equal(ev.detector.name, 'ShankGyroEvents');
  assert.equal(ev.detector.params.swingSign, 'auto');
  const chosen = new Set(ev.events.filter((e: any) => e.source === 'ShankGyroEvents').map((e: any) => e.params.swingSignChosen));
  assert.equal(chosen.size, 1);
  assert.ok([1, -1].includes([...chosen][0] as number));
  const ic = ev.events.filter((e: any) => e.label === 'initial_contact').map((e: any) => e.timeS);
  const fc = new Set(ev.events.filter((e: any) => e.label === 'final_contact').map((e: any) => e.timeS));
  assert.ok(ic.filter((x: number) => fc.has(x)).length < 0.05 * ic.length, 'initial and final contacts coincide');
  const p = (await call('getParams', { trialId: t.id })) as any;
  const stance = p.parameters.find((x: any) => x.name === 'stance' && x.side === null);
  assert.ok(stance.n >= 15 && stance.mean.value > 40 && stance.mean.value < 80, JSON.stringify(stance));
});
