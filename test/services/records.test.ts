// The lab's own records through the dispatcher, on a real database with real gaitpdb walks: subjects registered,
// edited, merged, moved and deleted on request; visits and trial exclusion. After every write `audit verify`
// is clean, a refused edit changes nothing, and no identifying value is ever written into the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { createDispatcher, type Dispatch } from '../../src-main/services/dispatch';
import { importPaths } from '../../src-main/services/import-service';
import { verifyAuditLog } from '../../src-main/store/audit-verify';
import { readLabelledTrials } from '../../src-main/store/training-data';
import { removedItems } from '../../src-shared/domain/deletion-plan';
import { checkedDispatch } from '../api-contract';
import { sharedData, tempDir } from '../helpers';

const dir = tempDir('gaitlab-records-');
process.env.GAITLAB_AUDIT_KEY_FILE = join(dir, 'audit-anchor.key');
let ctx: ServiceContext;
let call: Dispatch;

const IDENTITY = { display_name: 'Jane Roe', birth_date: '1961-04-02', record_number: 'MRN-4471', contact: 'jane.roe@example.org', notes: 'prefers mornings' };

/** Lets the anchor, which follows a write once its transaction is over, be written. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function auditClean(context: string): Promise<void> {
  await settle();
  const r = verifyAuditLog(ctx.db);
  assert.ok(r.ok, `${context}: ${r.reason}`);
  assert.deepEqual(r.findings, [], `${context}: ${JSON.stringify(r.findings)}`);
  assert.equal(r.anchor.failed, false, `${context}: ${r.anchor.message}`);
}

/** Everything the audit log holds, as text: no identity value may appear in it. */
function auditText(): string {
  return (ctx.db.prepare('SELECT group_concat(coalesce(old_value, \'\') || coalesce(new_value, \'\') || coalesce(content, \'\'), \'|\') AS t FROM audit_log').get() as { t: string }).t;
}

function assertNoIdentityInAudit(context: string): void {
  const text = auditText();
  for (const v of Object.values(IDENTITY)) assert.ok(!text.includes(v), `${context}: the audit log holds "${v}"`);
}

const totalChanges = () => (ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

/** A refused request: one-line input error matching `message`, and not one row written. */
async function refused(method: Parameters<Dispatch>[0], req: object, message: RegExp): Promise<void> {
  const before = totalChanges();
  await assert.rejects(() => call(method, req as never), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'input', e.message);
    assert.match(e.message, message);
    assert.ok(!e.message.includes('\n'));
    return true;
  });
  assert.equal(totalChanges(), before, 'a refused request wrote to the database');
}

before(async () => {
  ctx = openServiceContext({ dbPath: join(dir, 'lab.db'), mode: 'cli' });
  call = checkedDispatch(createDispatcher(ctx));
  const r = await importPaths(ctx, [sharedData('gaitpdb', 'demographics.txt'), sharedData('gaitpdb', 'GaPt07_01.txt.gz'), sharedData('gaitpdb', 'GaPt07_02.txt.gz'), sharedData('gaitpdb', 'GaCo02_01.txt.gz'), sharedData('gaitpdb', 'GaCo02_02.txt.gz')]);
  assert.deepEqual(r.errors, []);
});
after(() => closeServiceContext(ctx));

async function subjectByCode(code: string): Promise<string> {
  const r = (await call('listSubjects', { search: code })) as any;
  return r.subjects.find((s: any) => s.code === code).id;
}

test('a registered subject keeps its identity apart, is found by record number, and the audit log never holds the identity', async () => {
  const r = (await call('createSubject', {
    code: 'P001', group: 'PD', sex: 'female', identity: IDENTITY,
    attributes: { body_mass: { value: 72.5 }, height: { value: 1.68, unit: 'm' }, leg_length: { value: 880 }, updrs: { value: 31, takenOn: '2026-11-02' }, diagnosis: { value: 'Parkinson disease' }, affected_side: { value: 'left' } },
  })) as any;
  const s = r.subject;
  assert.match(s.id, /^S-[0-9A-Z]{8}$/);
  assert.equal(s.code, 'P001');
  assert.equal(s.cohort, 'lab');
  assert.deepEqual(s.identity, IDENTITY);
  assert.deepEqual(s.attributes.body_mass, { value: 72.5, unit: 'kg', takenOn: null });
  assert.deepEqual(s.attributes.leg_length, { value: 880, unit: 'mm', takenOn: null });
  assert.deepEqual(s.attributes.updrs, { value: 31, unit: 'points', takenOn: '2026-11-02' });
  // The pseudonymised list shows no identity.
  const listed = (await call('getSubject', { id: s.id })) as any;
  assert.deepEqual(listed.subject.attributes.body_mass, { value: 72.5, unit: 'kg' });
  const found = (await call('findSubjects', { recordNumber: 'MRN-4471' })) as any;
  assert.deepEqual(found.subjects.map((f: any) => [f.id, f.displayName]), [[s.id, 'Jane Roe']]);
  assert.deepEqual(((await call('findSubjects', { name: 'roe' })) as any).subjects.map((f: any) => f.id), [s.id]);
  assert.deepEqual(((await call('findSubjects', { recordNumber: 'MRN-447' })) as any).subjects, [], 'record numbers match exactly');
  const row = ctx.db.prepare("SELECT new_value FROM audit_log WHERE entity = 'subject' AND entity_id = ? AND action = 'create'").get(s.id) as { new_value: string };
  assert.deepEqual(JSON.parse(row.new_value).identityFields, ['display_name', 'birth_date', 'record_number', 'contact', 'notes']);
  assertNoIdentityInAudit('after create');
  await auditClean('after create');
});

test('an edit with a value out of range, in the wrong unit, or a bad date is refused with one line naming the field, and changes nothing', async () => {
  const id = await subjectByCode('P001');
  await refused('editSubject', { id, attributes: { body_mass: { value: 1000 } } }, /^subject S-\w+ field body_mass: 1000 kg is outside the plausible range 2–400 kg$/);
  await refused('editSubject', { id, attributes: { height: { value: 168, unit: 'cm' } } }, /field height: expected m, found cm$/);
  await refused('editSubject', { id, attributes: { height: { value: 1.7 }, leg_length: { value: 20 } } }, /field leg_length: 20 mm is outside the plausible range 150–1400 mm$/);
  await refused('editSubject', { id, attributes: { gmfcs: { value: 2.5 } } }, /field gmfcs: 2.5 level is outside the plausible range 1–5 level, whole numbers$/);
  await refused('editSubject', { id, identity: { birth_date: '1961-02-30' } }, /field birth_date: expected a date YYYY-MM-DD, found "1961-02-30"$/);
  await refused('editSubject', { id, identity: { birth_date: '2999-01-01' } }, /field birth_date: 2999-01-01 is outside the plausible range 1900-01-01–\d{4}-\d\d-\d\d$/);
  await refused('editSubject', { id, attributes: { affected_side: { value: 'up' } } }, /field affected_side: expected one of left, right, both, none, found "up"$/);
  await refused('createSubject', { code: 'P001' }, /^new subject field code: cohort lab already has a subject P001$/);
  const r = (await call('getSubjectRecord', { id })) as any;
  assert.deepEqual(r.subject.attributes.height, { value: 1.68, unit: 'm', takenOn: null });
  await auditClean('after refused edits');
});

test('an edit writes one audit row with attribute values but only the names of identity fields', async () => {
  const id = await subjectByCode('P001');
  const r = (await call('editSubject', { id, identity: { record_number: 'MRN-9000' }, attributes: { body_mass: { value: 70.1 }, diagnosis: null } })) as any;
  assert.deepEqual(r.changed.sort(), ['body_mass', 'diagnosis', 'record_number']);
  assert.equal(r.subject.identity.record_number, 'MRN-9000');
  assert.equal(r.subject.attributes.diagnosis, undefined);
  const row = ctx.db.prepare("SELECT old_value, new_value FROM audit_log WHERE entity_id = ? ORDER BY seq DESC LIMIT 1").get(id) as { old_value: string; new_value: string };
  assert.deepEqual(JSON.parse(row.new_value), { identityFields: ['record_number'], body_mass: { value: 70.1, unit: 'kg', takenOn: null }, diagnosis: null });
  assert.deepEqual(JSON.parse(row.old_value).body_mass, { value: 72.5, unit: 'kg', takenOn: null });
  assert.ok(!auditText().includes('MRN-9000'));
  const unchanged = (await call('editSubject', { id, attributes: { body_mass: { value: 70.1 } } })) as any;
  assert.deepEqual(unchanged.changed, []);
  await call('editSubject', { id, identity: { record_number: IDENTITY.record_number } });
  await auditClean('after edits');
});

test('a visit is created and edited with its conditions; the age at the visit comes from the birth date', async () => {
  const id = await subjectByCode('P001');
  const { sessionId } = (await call('createSession', { subjectId: id, label: 'Pre-op assessment', date: '2026-11-02', fields: { footwear: 'barefoot', assessor: 'AK', speed_instruction: 'self-selected' }, tags: ['pre-op', 'baseline'] })) as any;
  await refused('editSession', { id: sessionId, date: '2026-13-01' }, /^session SE-\w+ field date: expected a date YYYY-MM-DD, found "2026-13-01"$/);
  await refused('editSession', { id: sessionId, fields: { shoe_size: '42' } }, /field shoe_size: unknown visit field/);
  const e = (await call('editSession', { id: sessionId, fields: { footwear: 'shoes', orthosis: 'AFO left' }, condition: 'orthosis' })) as any;
  assert.deepEqual(e.changed.sort(), ['condition', 'footwear', 'orthosis']);
  const rec = (await call('getSubjectRecord', { id })) as any;
  assert.deepEqual(rec.subject.sessions.map((s: any) => [s.key, s.date, s.ageYears]), [['Pre-op assessment', '2026-11-02', 65]]);
  const full = (await call('getSubject', { id })) as any;
  const attrs = full.sessions[0].attributes;
  assert.deepEqual([attrs.footwear.value, attrs.orthosis.value, attrs.assessor.value, attrs.tags.value], ['shoes', 'AFO left', 'AK', '["baseline","pre-op"]']);
  await auditClean('after visits');
});

test('an excluded trial is kept and flagged, and left out of the subject\'s parameters and cycles until included again', async () => {
  const subjectId = await subjectByCode('GaPt07');
  const trials = ((await call('listTrials', { subjectId })) as any).trials;
  assert.equal(trials.length, 2);
  for (const t of trials) await call('detectEvents', { trialId: t.id });
  const both = (await call('getParams', { subjectId })) as any;
  assert.deepEqual(both.trials.sort(), trials.map((t: any) => t.id).sort());
  await refused('excludeTrial', { trialId: trials[0].id, reason: '   ' }, /field reason: an exclusion needs a reason/);
  const x = (await call('excludeTrial', { trialId: trials[0].id, reason: 'subject stopped mid-walk' })) as any;
  assert.deepEqual(x, { trialId: trials[0].id, excluded: 'subject stopped mid-walk', changed: true });
  const one = (await call('getParams', { subjectId })) as any;
  assert.deepEqual(one.trials, [trials[1].id]);
  assert.ok(one.strides.left < both.strides.left, `${one.strides.left} < ${both.strides.left}`);
  assert.deepEqual(((await call('getCycles', { subjectId })) as any).unextracted, [trials[1].id]);
  const kept = ((await call('listTrials', { subjectId })) as any).trials.find((t: any) => t.id === trials[0].id);
  assert.deepEqual(kept.attributes.excluded, { value: 'subject stopped mid-walk' });
  // Nor do methods learn from it.
  const labelled = readLabelledTrials(ctx.db, 'gaitpdb').map((r) => r.trialId);
  assert.ok(labelled.includes(trials[1].id) && !labelled.includes(trials[0].id), JSON.stringify(labelled));
  // Asked for by its own id, the excluded trial still answers.
  assert.deepEqual(((await call('getParams', { trialId: trials[0].id })) as any).trials, [trials[0].id]);
  await auditClean('after exclusion');
  assert.equal(((await call('excludeTrial', { trialId: trials[0].id, reason: null })) as any).changed, true);
  assert.equal(((await call('getParams', { subjectId })) as any).trials.length, 2);
  await auditClean('after inclusion');
});

test('merge lists the conflicts, refuses until each is chosen, then moves every session and keeps the target\'s pseudonym', async () => {
  const target = await subjectByCode('P001');
  const source = await subjectByCode('GaPt07');
  // gaitpdb's demographics and the lab record agree on group and sex (PD, female), not on height and UPDRS.
  const sourceRec = ((await call('getSubjectRecord', { id: source })) as any).subject;
  const dry = (await call('mergeSubjects', { sourceId: source, targetId: target, dryRun: true })) as any;
  assert.deepEqual(dry.conflicts, [
    { field: 'height', source: '1.67 m', target: '1.68 m', chosen: null, identity: false },
    { field: 'updrs', source: '44 points', target: '31 points (2026-11-02)', chosen: null, identity: false },
  ]);
  assert.equal(dry.merged, false);
  assert.equal(dry.sessionsMoved, 1, 'gaitpdb files the walks of a study as one session');
  await refused('mergeSubjects', { sourceId: source, targetId: target }, /^subject S-\w+ field take: 2 conflicting fields to choose \(source or target\): height \(1\.67 m in S-\w+, 1\.68 m in S-\w+\); updrs \(44 points in S-\w+, 31 points \(2026-11-02\) in S-\w+\)$/);
  await refused('mergeSubjects', { sourceId: source, targetId: target, take: { height: 'source' } }, /1 conflicting field to choose \(source or target\): updrs/);
  await refused('mergeSubjects', { sourceId: source, targetId: target, take: { shoe: 'source' } }, /field take: shoe: no conflict on this field$/);

  const take = { height: 'source', updrs: 'target' } as const;
  const m = (await call('mergeSubjects', { sourceId: source, targetId: target, take })) as any;
  assert.equal(m.merged, true);
  assert.equal(m.subjectId, target);
  const rec = ((await call('getSubjectRecord', { id: target })) as any).subject;
  assert.equal(rec.id, target, 'the pseudonym stays');
  assert.deepEqual(rec.attributes.height, { value: 1.67, unit: 'm', takenOn: null });
  assert.deepEqual(rec.attributes.updrs, { value: 31, unit: 'points', takenOn: '2026-11-02' });
  assert.equal(rec.attributes.body_mass.value, 70.1);
  // gaitpdb's attributes the lab record lacked fill its gaps.
  assert.equal(rec.attributes.hoehn_yahr?.value, sourceRec.attributes.hoehn_yahr?.value);
  assert.deepEqual(rec.sessions.map((s: any) => s.key).sort(), ['Ga', 'Pre-op assessment']);
  await assert.rejects(() => call('getSubject', { id: source }), /no subject/);
  assert.equal(((await call('listTrials', { subjectId: target })) as any).total, 2);
  assertNoIdentityInAudit('after merge');
  await auditClean('after merge');
});

test('a trial moves to another session and a session to another subject, audited', async () => {
  const a = await subjectByCode('P001');
  const b = await subjectByCode('GaCo02');
  const trials = ((await call('listTrials', { subjectId: a })) as any).trials;
  const visit = ((await call('getSubjectRecord', { id: a })) as any).subject.sessions.find((s: any) => s.key === 'Pre-op assessment');
  await call('moveTrial', { trialId: trials[0].id, sessionId: visit.id });
  assert.equal(((await call('listTrials', { subjectId: a })) as any).trials.find((t: any) => t.id === trials[0].id).sessionId, visit.id);
  await auditClean('after moving a trial');
  await call('moveSession', { sessionId: visit.id, subjectId: b });
  assert.deepEqual(((await call('listTrials', { subjectId: b })) as any).trials.map((t: any) => t.id).includes(trials[0].id), true);
  await refused('moveSession', { sessionId: visit.id, subjectId: 'S-00000000' }, /^subject S-00000000: no such subject$/);
  await auditClean('after moving a session');
});

test('deleting only the identity leaves a pseudonymised record with its data; deleting everything says first what goes', async () => {
  const id = await subjectByCode('P001');
  const trialsBefore = ((await call('listTrials', { subjectId: id })) as any).total;
  const plan = (await call('deleteSubject', { id, scope: 'identity', dryRun: true })) as any;
  assert.deepEqual(plan, { plan: { subjectId: id, scope: 'identity', identityFields: ['display_name', 'birth_date', 'record_number', 'contact', 'notes'], sessions: 0, trials: 0, signals: 0, events: 0,
    attributes: 0, cycles: 0, analysisRuns: 0, relevanceMaps: 0, liveRecordings: 0, reportsUnlinked: 0, referenceSets: 0, models: 0 }, deleted: false });
  const r = (await call('deleteSubject', { id, scope: 'identity' })) as any;
  assert.equal(r.deleted, true);
  assert.deepEqual(r.plan.identityFields, ['display_name', 'birth_date', 'record_number', 'contact', 'notes', 'code']);
  const rec = ((await call('getSubjectRecord', { id })) as any).subject;
  assert.deepEqual(rec.identity, { display_name: null, birth_date: null, record_number: null, contact: null, notes: null });
  assert.equal(rec.code, id, 'the pseudonym stands in for the code');
  assert.equal(((await call('listTrials', { subjectId: id })) as any).total, trialsBefore);
  assert.deepEqual(((await call('findSubjects', { recordNumber: IDENTITY.record_number })) as any).subjects, []);
  assertNoIdentityInAudit('after identity deletion');
  await auditClean('after identity deletion');

  const b = await subjectByCode('GaCo02');
  // Its walks' cycles (and the detector and segmentation runs that made them) go with it, and the plan says so.
  await call('extractCycles', { subjectId: b });
  const whole = (await call('deleteSubject', { id: b, scope: 'all', dryRun: true })) as any;
  const signals = (ctx.db.prepare('SELECT COUNT(*) AS n FROM signals g JOIN trials t ON t.id = g.trial_id JOIN sessions s ON s.id = t.session_id WHERE s.subject_id = ?').get(b) as { n: number }).n;
  const n = (sql: string) => (ctx.db.prepare(sql).get(b) as { n: number }).n;
  // Its two gaitpdb walks (one session) and the visit moved to it above, with the trial moved into that visit.
  assert.equal(whole.plan.sessions, 2);
  assert.equal(whole.plan.trials, 3);
  assert.equal(whole.plan.signals, signals);
  assert.equal(signals, 3 * 18);
  assert.equal(whole.plan.events, n('SELECT COUNT(*) AS n FROM gait_events e JOIN trials t ON t.id = e.trial_id JOIN sessions s ON s.id = t.session_id WHERE s.subject_id = ?'));
  const cycles = n('SELECT COUNT(*) AS n FROM cycles c JOIN trials t ON t.id = c.trial_id JOIN sessions s ON s.id = t.session_id WHERE s.subject_id = ?');
  const runs = n('SELECT COUNT(*) AS n FROM method_runs r JOIN trials t ON t.id = r.trial_id JOIN sessions s ON s.id = t.session_id WHERE s.subject_id = ?');
  assert.ok(cycles > 0 && runs > 0, `${cycles} cycles, ${runs} runs`);
  assert.deepEqual([whole.plan.cycles, whole.plan.analysisRuns, whole.plan.attributes], [cycles, runs, n('SELECT COUNT(*) AS n FROM subject_attributes WHERE subject_id = ?')]);
  assert.equal(removedItems(whole.plan), `2 sessions, 3 trials, 54 signals, ${whole.plan.events} events, ${whole.plan.attributes} attributes, ${cycles} cycles and ${runs} analysis runs`);
  assert.equal(((await call('deleteSubject', { id: b, scope: 'all' })) as any).deleted, true);
  await assert.rejects(() => call('getSubjectRecord', { id: b }), /no subject/);
  assert.equal((ctx.db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE subject_id = ?').get(b) as { n: number }).n, 0);
  assert.equal((ctx.db.prepare('SELECT COUNT(*) AS n FROM cycles WHERE trial_id NOT IN (SELECT id FROM trials)').get() as { n: number }).n, 0);
  await auditClean('after deleting a subject');
});
