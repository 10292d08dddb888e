import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openServiceContext, closeServiceContext } from '../../src-main/services/context';
import { importPaths } from '../../src-main/services/import-service';
import { addManualEvent, correctEvent, deleteEvent, readEvents, replaceDetectedEvents } from '../../src-main/store/events';
import { readCycles, replaceCycles } from '../../src-main/store/cycles';
import { verifyAudit } from '../../src-main/store/audit';
import { latestRun, listRuns, type NewRun } from '../../src-main/store/runs';
import { sharedData, tempDir } from '../helpers';

test('detected events replace their own earlier run; corrections are manual, keep the original and are audited', async () => {
  const ctx = openServiceContext({ dbPath: join(tempDir(), 'ev.db'), mode: 'cli' });
  await importPaths(ctx, [sharedData('gaitpdb', 'GaCo01_01.txt.gz')]);
  const trialId = (ctx.db.prepare('SELECT id FROM trials').get() as { id: string }).id;
  const ev = (t: number, side: string) => ({ label: 'initial_contact', side, timeS: t, source: 'x', threshold: { value: 20, unit: 'N' } });
  const run = (role: string, params: Record<string, unknown>): NewRun & { trialId: string } => ({
    method: role === 'cycles' ? 'cycler' : 'insole-total-force', version: '1.2.3', role, params, seed: null, trialId,
    inputs: { trials: [{ trialId, contentSha256: 'abc' }] }, outputs: { events: 2 }, startedAt: '2026-12-06T10:00:00.000Z', finishedAt: '2026-12-06T10:00:01.000Z',
  });
  const first = replaceDetectedEvents(ctx.db, 'tester', run('gait-events', { onN: 20 }), [ev(1.0, 'left'), ev(1.5, 'right'), ev(2.1, 'left')]);
  const second = replaceDetectedEvents(ctx.db, 'tester', run('gait-events', { onN: 25 }), [ev(1.01, 'left'), ev(1.52, 'right')]);
  let events = readEvents(ctx.db, trialId);
  assert.deepEqual(events.map((e) => [e.timeS, e.side, e.source, e.threshold?.value, e.runId]), [[1.01, 'left', 'insole-total-force', 20, second.runId], [1.52, 'right', 'insole-total-force', 20, second.runId]]);
  // Both runs are rows of their own, with every field; the last one is the trial's detector.
  assert.deepEqual(listRuns(ctx.db, trialId).map((r) => [r.id, r.method, r.params.onN, r.actor]), [[first.runId, 'insole-total-force', 20, 'tester'], [second.runId, 'insole-total-force', 25, 'tester']]);
  assert.deepEqual(latestRun(ctx.db, trialId, 'gait-events'), { ...run('gait-events', { onN: 25 }), id: second.runId, actor: 'tester' });
  assert.equal(latestRun(ctx.db, trialId, 'cycles'), null);

  const fixed = correctEvent(ctx.db, 'physio', events[0].id, { timeS: 0.98 });
  assert.equal(fixed.manual, true);
  assert.equal(fixed.source, 'manual');
  assert.deepEqual(fixed.params!.correctedFrom, { source: 'insole-total-force', timeS: 1.01, label: 'initial_contact', side: 'left' });
  // A new detector run keeps the manual correction.
  replaceDetectedEvents(ctx.db, 'tester', run('gait-events', { onN: 20 }), [ev(1.52, 'right')]);
  events = readEvents(ctx.db, trialId);
  assert.deepEqual(events.map((e) => [e.timeS, e.source]), [[0.98, 'manual'], [1.52, 'insole-total-force']]);
  const added = addManualEvent(ctx.db, 'physio', trialId, { label: 'final_contact', side: 'left', timeS: 1.7 });
  deleteEvent(ctx.db, 'physio', added.id);
  assert.equal(readEvents(ctx.db, trialId).length, 2);
  const audit = ctx.db.prepare("SELECT action, actor, old_value, new_value FROM audit_log WHERE action IN ('correct-event', 'add-event', 'delete-event') ORDER BY seq").all() as any[];
  assert.deepEqual(audit.map((a) => [a.action, a.actor]), [['correct-event', 'physio'], ['add-event', 'physio'], ['delete-event', 'physio']]);
  assert.deepEqual(JSON.parse(audit[0].old_value), { timeS: 1.01, label: 'initial_contact', side: 'left', source: 'insole-total-force' });
  assert.equal(JSON.parse(audit[0].new_value).timeS, 0.98);
  assert.equal(verifyAudit(ctx.db).ok, true);

  const curve = Float32Array.from({ length: 101 }, (_, i) => Math.sin(i / 10));
  const cycleRun = replaceCycles(ctx.db, 'tester', run('cycles', { points: 101 }), ['gait_cycle'], [
    { channel: 'L_total', side: 'left', kind: 'gait_cycle', startS: 1, endS: 2.1, unit: 'N', curve, flags: [] },
    { channel: 'L_total', side: 'left', kind: 'gait_cycle', startS: 2.1, endS: 4.9, unit: 'N', curve, flags: ['implausible-duration'] },
  ]);
  const cycles = readCycles(ctx.db, trialId);
  assert.equal(cycles.length, 2);
  assert.deepEqual(cycles.map((c) => c.runId), [cycleRun, cycleRun]);
  assert.equal(latestRun(ctx.db, trialId, 'cycles')!.params.points, 101);
  // The audit log records each change and names its run.
  const extraction = ctx.db.prepare("SELECT new_value FROM audit_log WHERE action = 'extract-cycles'").get() as { new_value: string };
  assert.equal(JSON.parse(extraction.new_value).runId, cycleRun);
  assert.deepEqual(cycles[0].curve, Array.from(curve));
  assert.deepEqual(cycles[1].flags, ['implausible-duration']);
  closeServiceContext(ctx);
});
