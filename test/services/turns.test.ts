// Turns through the dispatcher on a real Voisard trial (1-1: lower back and both feet): detection stores the turn
// as a turn_start / turn_end pair beside the contacts, extraction flags the cycles that overlap it, and the
// parameters leave those strides out unless the segmentation's excludeTurns (stored with its run) says otherwise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { createDispatcher, type Dispatch } from '../../src-main/services/dispatch';
import { checkedDispatch } from '../api-contract';
import { importPaths } from '../../src-main/services/import-service';
import { verifyAudit } from '../../src-main/store/audit';
import { latestRun } from '../../src-main/store/runs';
import { sharedData, tempDir } from '../helpers';

const dbPath = join(tempDir(), 'turns.db');
let ctx: ServiceContext;
let call: Dispatch;
let trialId: string;

before(async () => {
  ctx = openServiceContext({ dbPath, mode: 'cli' });
  call = checkedDispatch(createDispatcher(ctx));
  // The sensor files alone: the annotation file's contacts would be segmented beside the detected ones.
  await importPaths(ctx, ['lb', 'lf', 'rf'].map((s) => sharedData('voisard2023-ipol-imu-healthy', 'healthy', `1-1_${s}.txt`)));
  trialId = ((await call('listTrials', { offset: 0, limit: 10 })) as any).trials[0].id;
});
after(() => closeServiceContext(ctx));

interface Ev { label: string; side: string | null; timeS: number; source: string; params: Record<string, unknown>; threshold: { value: number; unit: string } | null }
interface Params { strides: { left: number; right: number; flagged: number }; parameters: Array<{ name: string; side: string | null; n: number; mean: { value: number | null } }> }

const strideN = (p: Params) => p.parameters.find((x) => x.name === 'stride_time' && x.side === null)!.n;

test('detectEvents stores the U-turn of trial 1-1 as one turn_start / turn_end pair from the lower back', async () => {
  const res = (await call('detectEvents', { trialId })) as { events: Ev[]; detector: { name: string; version: string; params: Record<string, unknown> } };
  assert.equal(res.detector.name, 'FootImuEvents');
  assert.equal(res.detector.version, '1.4.0');
  assert.equal(res.detector.params.turnSensor, 'auto');
  const turns = res.events.filter((e) => e.label.startsWith('turn_'));
  assert.deepEqual(turns.map((e) => [e.label, e.side, e.source]), [['turn_start', null, 'FootImuEvents'], ['turn_end', null, 'FootImuEvents']]);
  // The annotated U-turn is 13.16–14.74 s; detected 13.29–14.60 s (npm run bench:voisard-events).
  assert.ok(Math.abs(turns[0].timeS - 13.29) < 0.011 && Math.abs(turns[1].timeS - 14.60) < 0.011, `${turns[0].timeS}–${turns[1].timeS}`);
  assert.equal(turns[0].params.turnFrom, 'lower_back');
  assert.ok(Math.abs(Number(turns[0].params.turnAngleDeg) + 182) < 2, String(turns[0].params.turnAngleDeg));
  assert.deepEqual(turns[0].threshold, { value: 45, unit: 'deg' });
  // With turnSensor none the contacts are the same and there is no turn.
  const none = (await call('detectEvents', { trialId, params: { turnSensor: 'none' } })) as { events: Ev[] };
  assert.equal(none.events.filter((e) => e.label.startsWith('turn_')).length, 0);
  assert.equal(none.events.length, res.events.length - 2);
  await call('detectEvents', { trialId });
});

test('extraction flags the cycles overlapping the turn; parameters leave their strides out unless excludeTurns is false', async () => {
  const ex = (await call('extractCycles', { trialId, force: true })) as { cycles: Array<{ kind: string; side: string; startS: number; endS: number; flags: string[] }>; runs: Array<{ runId: string; params: Record<string, unknown> }> };
  assert.equal(ex.runs[0].params.excludeTurns, true);
  const run = latestRun(ctx.db, trialId, 'cycles')!;
  assert.equal(run.version, '1.1.0');
  assert.equal(run.outputs.turns, 1);
  const flagged = ex.cycles.filter((c) => c.kind === 'gait_cycle' && c.flags.includes('in_turn'));
  assert.ok(flagged.length >= 2, `${flagged.length} cycles in the turn`);
  for (const c of flagged) assert.ok(c.startS < 14.61 && c.endS > 13.28, `${c.side} ${c.startS}–${c.endS} does not overlap the turn`);
  for (const c of ex.cycles.filter((x) => !x.flags.includes('in_turn'))) assert.ok(c.endS <= 13.3 || c.startS >= 14.59, `${c.side} ${c.startS}–${c.endS} overlaps the turn but is not flagged`);
  const onlyTurn = ex.cycles.filter((c) => c.kind === 'gait_cycle' && c.flags.length === 1 && c.flags[0] === 'in_turn').length;

  const straight = (await call('getParams', { trialId })) as Params;
  const all = (await call('extractCycles', { trialId, params: { excludeTurns: false } })) as { runs: Array<{ params: Record<string, unknown> }> };
  assert.equal(all.runs[0].params.excludeTurns, false);
  assert.equal(latestRun(ctx.db, trialId, 'cycles')!.params.excludeTurns, false, 'the setting is stored with the run');
  const withTurns = (await call('getParams', { trialId })) as Params;
  // Cycles carry curves only when complete, so count strides from the parameters: every stride flagged only in_turn joins.
  assert.equal(strideN(withTurns) - strideN(straight), onlyTurn);
  assert.equal(straight.strides.flagged - withTurns.strides.flagged, onlyTurn);
  assert.ok(onlyTurn >= 1);
  // Turning strides are slower: the mean stride time grows when they count.
  const mean = (p: Params) => p.parameters.find((x) => x.name === 'stride_time' && x.side === null)!.mean.value!;
  assert.ok(mean(withTurns) > mean(straight), `${mean(withTurns)} vs ${mean(straight)}`);
  assert.equal(verifyAudit(ctx.db).ok, true);
});

test('a technician\'s turn_start / turn_end pair flags the cycles it spans', async () => {
  await call('detectEvents', { trialId, params: { turnSensor: 'none' } });
  await call('addEvent', { trialId, label: 'turn_start', side: null, timeS: 8 });
  await call('addEvent', { trialId, label: 'turn_end', side: null, timeS: 9 });
  const ex = (await call('extractCycles', { trialId, force: true })) as { cycles: Array<{ kind: string; startS: number; endS: number; flags: string[] }> };
  const flagged = ex.cycles.filter((c) => c.kind === 'gait_cycle' && c.flags.includes('in_turn'));
  assert.ok(flagged.length >= 2);
  for (const c of flagged) assert.ok(c.startS < 9 && c.endS > 8);
});

test('a trial imported with its annotations: cycles from the annotations until a detector runs, then from its events alone', async () => {
  await importPaths(ctx, ['1-2.json', '1-2_lb.txt', '1-2_lf.txt', '1-2_rf.txt'].map((f) => sharedData('voisard2023-ipol-imu-healthy', 'healthy', f)));
  const trial = ((await call('listTrials', { offset: 0, limit: 10 })) as any).trials.find((x: any) => x.key === '1-2').id as string;
  // Before detection (getParams reads only): the annotated contacts (16 left, 17 right ICs) and the annotated U-turn.
  const annotated = (await call('getParams', { trialId: trial })) as Params;
  assert.deepEqual([annotated.strides.left, annotated.strides.right], [15, 16]);
  assert.ok(annotated.strides.flagged >= 2 && annotated.strides.flagged <= 8, `${annotated.strides.flagged} flagged`);
  // Extraction detects first; the annotations stay stored but the cycles are the detector's only.
  const ex = (await call('extractCycles', { trialId: trial })) as { cycles: Array<{ kind: string; side: string; startS: number; flags: string[] }> };
  const events = (await call('getEvents', { trialId: trial })) as { events: Ev[] };
  assert.equal(events.events.filter((e) => e.source === 'annotation' && e.label === 'initial_contact').length, 33);
  for (const side of ['left', 'right']) {
    const starts = ex.cycles.filter((c) => c.kind === 'gait_cycle' && c.side === side).map((c) => c.startS).sort((a, b) => a - b);
    const ics = events.events.filter((e) => e.source === 'FootImuEvents' && e.side === side && e.label === 'initial_contact').length;
    // A stored cycle has a curve, so the last contact (its cycle cut by the trial's end) starts none.
    assert.equal(starts.length, ics - 1, `${side}: one cycle per detected initial contact but the last`);
    starts.slice(1).forEach((t, k) => assert.ok(t - starts[k] > 0.4, `${side}: cycles at ${starts[k]} and ${t}`));
  }
  const detected = (await call('getParams', { trialId: trial })) as Params;
  const stride = detected.parameters.find((x) => x.name === 'stride_time' && x.side === null)!;
  assert.ok(stride.n >= 20 && stride.mean.value! > 0.9 && stride.mean.value! < 1.3, JSON.stringify(stride));
});
