// Visits for the per-file formats other than C3D: a lab's visit folder holding real Motion Analysis (.anc + .cal +
// .trc), AMTI (.asc) and Kistler BioWare (.txt) exports from ../shared/data becomes one session named after the
// folder, of one subject named after the folder (the files name none), dated by the newest recording when no file
// states a date and by the file's own date once one does; re-importing adds nothing and a trial added to the folder
// joins the session. Cohort formats (gaitpdb walks) keep their own rule; --subject/--session still win.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { createDispatcher, type Dispatch } from '../../src-main/services/dispatch';
import { motionAnalysisAnc } from '../../src-main/formats/motion-analysis-anc';
import { opensimTrc } from '../../src-main/formats/opensim-trc';
import type { ImportBatch } from '../../src-shared/domain/import-batch';
import { DATE_FROM_MODIFICATION_TIME } from '../../src-shared/domain/subject-fields';
import { checkedDispatch } from '../api-contract';
import { assertAuditClean, openTestService } from './service-db';
import { sharedData, tempDir } from '../helpers';

const dir = tempDir('gaitlab-visit-formats-');
process.env.GAITLAB_AUDIT_KEY_FILE = join(dir, 'audit-anchor.key');
const MAC = sharedData('forceplate-file-formats', 'motion-analysis-anc-cal');
const AMTI = sharedData('forceplate-file-formats', 'amti-asc', 'Trial1-FxFyFzMxMyMz.asc');
const KISTLER = sharedData('forceplate-file-formats', 'kistler-bioware');

const localDay = (iso: string) => { const d = new Date(iso); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; };
const touch = (path: string, iso: string) => utimesSync(path, new Date(iso), new Date(iso));

const open = (name: string) => openTestService(join(dir, name));

const auditClean = (ctx: ServiceContext) => assertAuditClean(ctx);

async function visitsOf(call: Dispatch, code: string) {
  const list = (await call('listSubjects', { search: code })) as any;
  const s = list.subjects.find((x: any) => x.code === code);
  assert.ok(s, `no subject ${code}`);
  const rec = (await call('getSubject', { id: s.id })) as any;
  return {
    cohort: rec.subject.cohort,
    sessions: rec.sessions.map((se: any) => ({
      key: se.key, date: se.date, groupedBy: se.attributes.grouped_by?.value, dateFrom: se.attributes.date_from?.value ?? null,
      trials: se.trials.map((t: any) => t.key).sort(),
    })),
  };
}

const read = async (module: { read(f: { path: string; name: string; bytes: Buffer; sha256: string }): ImportBatch | Promise<ImportBatch> }, path: string, name: string) => {
  const bytes = readFileSync(path);
  return module.read({ path, name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
};

describe('a visit folder of Motion Analysis and AMTI exports (files that state no date)', () => {
  const visit = join(dir, 'lab', 'Visit 0412');
  const { ctx, call } = open('visit.db');
  before(() => {
    mkdirSync(visit, { recursive: true });
    for (const n of ['Gait.anc', 'Forcepla.cal', 'Gait.trc']) copyFileSync(join(MAC, n), join(visit, n));
    copyFileSync(AMTI, join(visit, 'Trial1-FxFyFzMxMyMz.asc'));
    writeFileSync(join(visit, 'notes.md'), 'assessor: MB\n');
    touch(join(visit, 'Gait.anc'), '2026-04-12T10:05:00');
    touch(join(visit, 'Trial1-FxFyFzMxMyMz.asc'), '2026-04-12T10:40:00');
    touch(join(visit, 'Gait.trc'), '2026-04-13T09:15:00');
    // Neither a calibration nor a note is a recording: edited later, they do not date the visit.
    touch(join(visit, 'Forcepla.cal'), '2026-05-20T08:00:00');
    touch(join(visit, 'notes.md'), '2026-06-01T08:00:00');
  });

  test('becomes one session of one subject named after the folder, dated by its newest recording; gait.anc and gait.trc are one trial', async () => {
    const r = (await call('importPaths', { paths: [visit] })) as any;
    assert.deepEqual(r.errors, []);
    assert.deepEqual([r.subjects, r.subjectsAdded, r.sessions, r.trialsAdded], [1, 1, 1, 2]);
    assert.deepEqual(await visitsOf(call, 'Visit 0412'), {
      cohort: 'folder',
      sessions: [{ key: 'Visit 0412', date: localDay('2026-04-13T09:15:00'), groupedBy: 'folder', dateFrom: DATE_FROM_MODIFICATION_TIME, trials: ['Gait', 'Trial1-FxFyFzMxMyMz'] }],
    });
    // The analog channels (volts, and plate forces through Forcepla.cal) and the markers of the same recording.
    const gait = ((await call('listTrials', { search: 'Gait' })) as any).trials.find((t: any) => t.key === 'Gait');
    const anc = await read(motionAnalysisAnc, join(visit, 'Gait.anc'), 'Gait.anc');
    const trc = await read(opensimTrc, join(visit, 'Gait.trc'), 'Gait.trc');
    const expected = [...anc.sessions[0].trials[0].channels, ...trc.sessions[0].trials[0].channels].map((c) => c.name);
    const stored = ((await call('getSignals', { trialId: gait.id, valuesIncluded: false })) as any).channels.map((c: any) => c.name);
    assert.deepEqual(stored, expected);
    assert.ok(stored.includes('FP1_Fz') && stored.includes('R.Heel_x'), stored.slice(0, 5).join(' '));
    await auditClean(ctx);
  });

  test('re-importing adds nothing; a Kistler export added to the folder joins the visit, whose date its header now gives', async () => {
    const again = (await call('importPaths', { paths: [visit] })) as any;
    assert.deepEqual([again.trialsAdded, again.sessions], [0, 1]);
    copyFileSync(join(KISTLER, 'kistler_CMJ_1plate.txt'), join(visit, 'kistler_CMJ_1plate.txt'));
    const more = (await call('importPaths', { paths: [join(visit, 'kistler_CMJ_1plate.txt')] })) as any;
    assert.deepEqual([more.errors, more.trialsAdded, more.subjectsAdded], [[], 1, 0]);
    // BioWare's "Date  Oct 22, 2014  12:05:31": a date the file states beats modification times (which copying resets).
    assert.deepEqual((await visitsOf(call, 'Visit 0412')).sessions, [
      { key: 'Visit 0412', date: '2014-10-22T12:05:31', groupedBy: 'folder', dateFrom: 'kistler-bioware-txt', trials: ['Gait', 'Trial1-FxFyFzMxMyMz', 'kistler_CMJ_1plate'] },
    ]);
    const audit = ctx.db.prepare("SELECT old_value, new_value FROM audit_log WHERE entity = 'session' AND action = 'update'").all() as { old_value: string; new_value: string }[];
    const dateChanges = audit.map((a) => [JSON.parse(a.old_value), JSON.parse(a.new_value)]).filter(([o]) => 'date' in o);
    assert.deepEqual(dateChanges, [[
      { date_from: { value: DATE_FROM_MODIFICATION_TIME }, date: localDay('2026-04-13T09:15:00') },
      { date_from: { value: 'kistler-bioware-txt' }, date: '2014-10-22T12:05:31' },
    ]]);
    await auditClean(ctx);
  });
});

describe('a visit folder whose first file states its date', () => {
  const visit = join(dir, 'lab2', 'Jump tests');
  const { ctx, call } = open('dated.db');
  before(() => {
    mkdirSync(visit, { recursive: true });
    copyFileSync(join(KISTLER, 'kistler_DJ_2plates.txt'), join(visit, 'kistler_DJ_2plates.txt'));
    copyFileSync(AMTI, join(visit, 'Trial1-FxFyFzMxMyMz.asc'));
    touch(join(visit, 'Trial1-FxFyFzMxMyMz.asc'), '2026-01-02T10:00:00');
  });

  test('keeps the stated date when a later file of the visit has only its modification time', async () => {
    const r = (await call('importPaths', { paths: [visit] })) as any;
    assert.deepEqual([r.errors, r.sessions, r.trialsAdded], [[], 1, 2]);
    assert.deepEqual((await visitsOf(call, 'Jump tests')).sessions, [
      { key: 'Jump tests', date: '2023-05-10T12:26:05', groupedBy: 'folder', dateFrom: 'kistler-bioware-txt', trials: ['Trial1-FxFyFzMxMyMz', 'kistler_DJ_2plates'] },
    ]);
    await auditClean(ctx);
  });

  test('--subject and --session put the folder\'s files into a registered patient\'s named visit', async () => {
    const p = ((await call('createSubject', { code: 'P031' })) as any).subject;
    const other = join(dir, 'lab2', 'Clinic');
    mkdirSync(other, { recursive: true });
    copyFileSync(join(MAC, 'Gait.trc'), join(other, 'Walk 2.trc'));
    const r = (await call('importVisit', { paths: [other], subject: 'P031', session: 'Follow-up' })) as any;
    assert.deepEqual([r.errors, r.subjectsAdded, r.trialsAdded], [[], 0, 1]);
    const rec = (await call('getSubject', { id: p.id })) as any;
    assert.deepEqual(rec.sessions.map((s: any) => [s.key, s.attributes.grouped_by.value, s.trials.map((t: any) => t.key)]), [['Follow-up', 'override', ['Walk 2']]]);
    await auditClean(ctx);
  });
});

describe('a static trial among marker files', () => {
  const { call } = open('static.db');
  test('a .trc named as a static (calibration) trial is kept as the visit\'s static, not a walk', async () => {
    const visit = join(dir, 'lab3', 'Visit S');
    mkdirSync(visit, { recursive: true });
    copyFileSync(join(MAC, 'Gait.trc'), join(visit, 'Walk 1.trc'));
    copyFileSync(join(MAC, 'Gait.trc'), join(visit, 'Static 1.trc'));
    const r = (await call('importPaths', { paths: [visit] })) as any;
    assert.deepEqual([r.errors, r.trialsAdded], [[], 2]);
    const rec = ((await call('getSubject', { id: ((await call('listSubjects', { search: 'Visit S' })) as any).subjects[0].id })) as any);
    assert.equal(rec.sessions[0].attributes.static_trial.value, 'Static 1');
    const roles = Object.fromEntries(rec.sessions[0].trials.map((t: any) => [t.key, [t.attributes.trial_role?.value ?? null, t.attributes.static_rule?.value ?? null]]));
    assert.deepEqual(roles, { 'Static 1': ['static', 'name'], 'Walk 1': [null, null] });
  });
});

describe('a cohort format in a folder', () => {
  const { call } = open('cohort.db');
  test('gaitpdb walks keep the study\'s own visits: the folder is not a visit of theirs', async () => {
    const folder = join(dir, 'downloads');
    mkdirSync(folder, { recursive: true });
    for (const n of ['GaCo02_01.txt.gz', 'GaCo02_02.txt.gz']) copyFileSync(sharedData('gaitpdb', n), join(folder, n));
    const r = (await call('importPaths', { paths: [folder] })) as any;
    assert.deepEqual(r.errors, []);
    const s = (await visitsOf(call, 'GaCo02'));
    assert.equal(s.cohort, 'gaitpdb');
    for (const se of s.sessions) assert.equal(se.groupedBy, undefined);
    assert.ok(!s.sessions.some((se: any) => se.key === 'downloads'));
  });
});

describe('browser-mode uploads', () => {
  const staging = join(dir, 'staging');
  const ctx = openServiceContext({ dbPath: join(dir, 'uploads.db'), mode: 'browser', stagingDir: staging });
  after(() => closeServiceContext(ctx));
  const call = checkedDispatch(createDispatcher(ctx));
  test('a file uploaded on its own keeps its format\'s session (the staging folder is no visit); an uploaded folder is one', async () => {
    const run = join(staging, `${process.pid}-0a1b2c`);
    mkdirSync(join(run, 'Visit 9'), { recursive: true });
    copyFileSync(AMTI, join(run, 'Trial1-FxFyFzMxMyMz.asc'));
    copyFileSync(join(KISTLER, 'kistler_COP.txt'), join(run, 'Visit 9', 'kistler_COP.txt'));
    const r = (await call('importPaths', { paths: [join(run, 'Trial1-FxFyFzMxMyMz.asc'), join(run, 'Visit 9')] })) as any;
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.visits, [{ rule: 'folder Visit 9, subject Visit 9 (the file names none)', files: 1 }]);
    assert.deepEqual(await visitsOf(call, 'Trial1-FxFyFzMxMyMz'), {
      cohort: 'forceplate', sessions: [{ key: 'Trial1-FxFyFzMxMyMz', date: null, groupedBy: undefined, dateFrom: null, trials: ['Trial1-FxFyFzMxMyMz'] }],
    });
    assert.deepEqual((await visitsOf(call, 'Visit 9')).sessions, [
      { key: 'Visit 9', date: '2012-11-09T09:39:44', groupedBy: 'folder', dateFrom: 'kistler-bioware-txt', trials: ['kistler_COP'] },
    ]);
  });
});
