import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openServiceContext, closeServiceContext } from '../../src-main/services/context';
import { importPaths } from '../../src-main/services/import-service';
import { addManualEvent, correctEvent, deleteEvent, readEvents, replaceDetectedEvents } from '../../src-main/store/events';
import { readCycles, replaceCycles } from '../../src-main/store/cycles';
import { verifyAudit } from '../../src-main/store/audit';
import { sharedData, tempDir } from '../helpers';

test('detected events replace their own earlier run; corrections are manual, keep the original and are audited', async () => {
  const ctx = openServiceContext({ dbPath: join(tempDir(), 'ev.db'), mode: 'cli' });
  await importPaths(ctx, [sharedData('gaitpdb', 'GaCo01_01.txt.gz')]);
  const trialId = (ctx.db.prepare('SELECT id FROM trials').get() as { id: string }).id;
  const ev = (t: number, side: string) => ({ label: 'initial_contact', side, timeS: t, source: 'x', threshold: { value: 20, unit: 'N' } });
  replaceDetectedEvents(ctx.db, 'tester', trialId, 'insole-total-force', [ev(1.0, 'left'), ev(1.5, 'right'), ev(2.1, 'left')], { onN: 20 });
  replaceDetectedEvents(ctx.db, 'tester', trialId, 'insole-total-force', [ev(1.01, 'left'), ev(1.52, 'right')], { onN: 25 });
  let events = readEvents(ctx.db, trialId);
  assert.deepEqual(events.map((e) => [e.timeS, e.side, e.source, e.threshold?.value]), [[1.01, 'left', 'insole-total-force', 20], [1.52, 'right', 'insole-total-force', 20]]);

  const fixed = correctEvent(ctx.db, 'physio', events[0].id, { timeS: 0.98 });
  assert.equal(fixed.manual, true);
  assert.equal(fixed.source, 'manual');
  assert.deepEqual(fixed.params!.correctedFrom, { source: 'insole-total-force', timeS: 1.01, label: 'initial_contact', side: 'left' });
  // A new detector run keeps the manual correction.
  replaceDetectedEvents(ctx.db, 'tester', trialId, 'insole-total-force', [ev(1.52, 'right')], { onN: 20 });
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
  replaceCycles(ctx.db, 'tester', trialId, ['gait_cycle'], [
    { channel: 'L_total', side: 'left', kind: 'gait_cycle', startS: 1, endS: 2.1, unit: 'N', curve, flags: [] },
    { channel: 'L_total', side: 'left', kind: 'gait_cycle', startS: 2.1, endS: 4.9, unit: 'N', curve, flags: ['implausible-duration'] },
  ], { points: 101 });
  const cycles = readCycles(ctx.db, trialId);
  assert.equal(cycles.length, 2);
  assert.deepEqual(cycles[0].curve, Array.from(curve));
  assert.deepEqual(cycles[1].flags, ['implausible-duration']);
  closeServiceContext(ctx);
});
