// Every API method through the real dispatcher on the real demo cohort, each answer checked against its
// response schema and each event against apiEvent (test/api-contract.ts).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { api, type ApiMethod } from '../../src-shared/api/schema';
import { closeServiceContext, openServiceContext } from '../../src-main/services/context';
import { createDispatcher } from '../../src-main/services/dispatch';
import { checkedDispatch } from '../api-contract';
import { sharedData, tempDir } from '../helpers';

const ctx = openServiceContext({ dbPath: join(tempDir(), 'contract.db'), mode: 'cli' });
after(() => closeServiceContext(ctx));

test('every method answers with what its schema promises, and its events are ApiEvents of its own call', async (t) => {
  const call = checkedDispatch(createDispatcher(ctx));
  const covered = new Set<ApiMethod>();
  const run: typeof call = ((method, req, opts) => {
    covered.add(method);
    return call(method, req, opts);
  }) as typeof call;

  const demo = await run('loadDemo', {}, { callId: 'demo-1' });
  assert.equal(demo.trialsAdded, 6);
  assert.ok(call.events.length >= 7 && call.events.every((e) => e.topic === 'call' && e.callId === 'demo-1'));
  const imported = await run('importPaths', { paths: [sharedData('gaitpdb', 'GaCo02_01.txt.gz')] });
  assert.equal(imported.trialsAdded, 1);
  assert.equal((await run('info', {})).counts.trials, 7);
  const subjects = await run('listSubjects', { limit: 10 });
  assert.equal(subjects.total, 7);
  const subject = await run('getSubject', { id: subjects.subjects[0].id });
  assert.equal(subject.subject.id, subjects.subjects[0].id);
  const trials = await run('listTrials', { subjectId: subject.subject.id });
  const trialId = trials.trials[0].id;
  const signals = await run('getSignals', { trialId, channels: ['L_total'], maxPoints: 500 });
  assert.equal(signals.channels[0].unit, 'N');
  const pending = await run('getEvents', { trialId });
  assert.deepEqual([pending.events.length, pending.pendingDetector], [0, 'InsoleEvents']);
  const detected = await run('detectEvents', { trialId, onlyIfPending: true });
  assert.ok(detected.events.length > 50);
  const events = await run('getEvents', { trialId });
  assert.deepEqual(events.events.map((e) => e.id), detected.events.map((e) => e.id));
  const redetected = await run('detectEvents', { trialId, params: { onFraction: 0.12 } });
  assert.equal(redetected.detector?.params.onFraction, 0.12);
  const first = redetected.events[10];
  const corrected = await run('correctEvent', { eventId: first.id, timeS: first.timeS + 0.01 });
  assert.equal(corrected.event.manual, true);
  const added = await run('addEvent', { trialId, label: 'initial_contact', side: 'left', timeS: 0.5 });
  assert.deepEqual(await run('deleteEvent', { eventId: added.event.id }), { deleted: added.event.id });
  const extracted = await run('extractCycles', { trialId });
  assert.ok(extracted.runs.length >= 1);
  const cycles = await run('getCycles', { trialId, kind: 'gait_cycle' });
  assert.ok(cycles.cycles.length > 50 && cycles.cycles.every((c) => c.curve.length === 101));
  const params = await run('getParams', { subjectId: subject.subject.id });
  assert.ok(params.parameters.length > 0);
  assert.ok((await run('listFormats', {})).formats.length >= 16);
  assert.equal((await run('exportTrial', { trialId, format: 'c3d', out: join(tempDir(), 'walk.c3d') })).analogs, 18);
  assert.ok((await run('exportCohort', { format: 'csv', out: join(tempDir(), 'cohort') })).cycles > 0);
  const issued = await run('issueReport', { subjectId: subject.subject.id });
  assert.equal((await run('getReport', { id: issued.id })).report.subject.id, subject.subject.id);
  assert.deepEqual((await run('listReports', { subjectId: subject.subject.id })).reports.map((r) => r.id), [issued.id]);
  assert.equal((await run('writeReport', { id: issued.id, out: join(tempDir(), 'r.html') })).format, 'html');
  assert.equal((await run('auditVerify', {})).ok, true);
  // The serial ports serialport lists here (a socat pty is never among them); listing never fails the call.
  const ports = await run('recordingPorts', {});
  assert.ok(ports.error === null ? ports.ports.every((p) => p.path.startsWith('/dev/')) : ports.ports.length === 0, JSON.stringify(ports));

  const untested = Object.keys(api).filter((m) => !covered.has(m as ApiMethod));
  // Methods added since (jobs, acquisition) are listed here until a case covers them.
  if (untested.length) t.diagnostic(`methods without a contract case: ${untested.join(', ')}`);
  assert.ok(covered.size >= 15);
});
