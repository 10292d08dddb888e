// Migration 7: cycles carry the event source they were cut from and their phase events; older rows read as null.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openServiceContext, closeServiceContext } from '../../src-main/services/context';
import { importPaths } from '../../src-main/services/import-service';
import { readCycles, replaceCycles } from '../../src-main/store/cycles';
import { verifyAudit } from '../../src-main/store/audit';
import { sharedData, tempDir } from '../helpers';

test('a cycle keeps its event source and phase events; a cycle stored without them reads them as null', async () => {
  const ctx = openServiceContext({ dbPath: join(tempDir(), 'cy.db'), mode: 'cli' });
  await importPaths(ctx, [sharedData('gaitpdb', 'GaCo01_01.txt.gz')]);
  const trialId = (ctx.db.prepare('SELECT id FROM trials').get() as { id: string }).id;
  const columns = (ctx.db.prepare('PRAGMA table_info(cycles)').all() as { name: string }[]).map((c) => c.name);
  assert.ok(columns.includes('event_source') && columns.includes('phase_events'));
  const run = { method: 'GaitCycleSegmentation', version: '1.1.0', role: 'cycles', params: {}, seed: null, trialId, inputs: { trials: [{ trialId, contentSha256: 'abc' }] }, outputs: {}, startedAt: '2026-12-06T10:00:00.000Z', finishedAt: '2026-12-06T10:00:01.000Z' };
  const curve = Float32Array.from({ length: 101 }, (_, k) => k / 10);
  replaceCycles(ctx.db, 'tester', run, ['gait_cycle'], [
    { channel: 'A', side: 'left', kind: 'gait_cycle', startS: 1, endS: 2, unit: 'deg', curve, flags: [], eventSource: 'file+manual', phaseEvents: { footOffPercent: 61.5, oppositeFootOffPercent: null, oppositeFootStrikePercent: 49.5 } },
    { channel: 'B', side: 'right', kind: 'gait_cycle', startS: 1.5, endS: 2.5, unit: 'N', curve, flags: ['in_turn'] },
  ]);
  const [a, b] = readCycles(ctx.db, trialId);
  assert.deepEqual([a.eventSource, a.phaseEvents], ['file+manual', { footOffPercent: 61.5, oppositeFootOffPercent: null, oppositeFootStrikePercent: 49.5 }]);
  assert.deepEqual([b.eventSource, b.phaseEvents, b.flags], [null, null, ['in_turn']]);
  assert.deepEqual(readCycles(ctx.db, trialId, { channel: 'B' }).map((c) => c.channel), ['B']);
  assert.equal(verifyAudit(ctx.db).ok, true);
  closeServiceContext(ctx);
});
