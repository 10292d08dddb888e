// Import groups files into visits the way labs store them: the two files of subject A22 in
// ../shared/data/horst2019-gait-c3d become one session; a Vicon Nexus database tree made here becomes the
// right subjects and sessions, with the static trial recognised; --session/--subject override the rule.
import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceContext } from '../../src-main/services/context';
import type { Dispatch } from '../../src-main/services/dispatch';
import { staticRule } from '../../src-main/services/visit-grouping';
import { readC3dBatch } from '../../src-main/formats/c3d-format';
import { medianMarkerTravelMm } from '../../src-shared/signal/marker-travel';
import type { ImportedChannel, ImportedTrial } from '../../src-shared/domain/import-batch';
import { assertAuditClean, openTestService } from './service-db';
import { sharedData, tempDir } from '../helpers';

const dir = tempDir('gaitlab-visits-');
process.env.GAITLAB_AUDIT_KEY_FILE = join(dir, 'audit-anchor.key');
const HORST = sharedData('horst2019-gait-c3d');

const localDay = (ms: number) => { const d = new Date(ms); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; };

const open = (name: string) => openTestService(join(dir, name));

const auditClean = (ctx: ServiceContext) => assertAuditClean(ctx);

async function sessionsOf(call: Dispatch, code: string) {
  const list = (await call('listSubjects', { search: code })) as any;
  const s = list.subjects.find((x: any) => x.code === code);
  assert.ok(s, `no subject ${code}`);
  return ((await call('getSubject', { id: s.id })) as any).sessions.map((se: any) => ({
    key: se.key, date: se.date, groupedBy: se.attributes.grouped_by?.value, staticTrial: se.attributes.static_trial?.value ?? null,
    trials: se.trials.map((t: any) => t.key).sort(),
  }));
}

describe('the horst2019-gait-c3d folder', () => {
  const { ctx, call } = open('horst.db');
  test('gives one session for the two files of subject A22, named after the folder and dated by its newest file', async () => {
    const r = (await call('importPaths', { paths: [HORST] })) as any;
    assert.deepEqual(r.errors, []);
    assert.equal(r.trialsAdded, 4);
    const newest = Math.max(...readdirSync(HORST).filter((n) => n.endsWith('.c3d')).map((n) => statSync(join(HORST, n)).mtimeMs));
    assert.deepEqual(await sessionsOf(call, 'A22'), [{ key: 'horst2019-gait-c3d', date: localDay(newest), groupedBy: 'folder', staticTrial: null, trials: ['gait-pig', 'gait-raw'] }]);
    assert.equal(r.sessions, 3, 'A22, btk-Gait and Walking_Hybrid_1_1 each have their one visit');
    await auditClean(ctx);
  });
});

describe('a Vicon Nexus database tree', () => {
  const root = join(dir, 'Nexus DB');
  const p1 = join(root, 'Patient01'), s1 = join(p1, '2026-11-02 Gait');
  const p2 = join(root, 'Patient02'), s2 = join(p2, 'Session 1');
  const { ctx, call } = open('vicon.db');
  before(() => {
    for (const d of [s1, s2]) mkdirSync(d, { recursive: true });
    writeFileSync(join(p1, 'Patient01.Patient.enf'), '[Node Information]\nTYPE=PATIENT\n');
    writeFileSync(join(s1, '2026-11-02 Gait.Session.enf'), '[Node Information]\nTYPE=SESSION\n');
    // The files name their subject A22 (SUBJECTS:NAMES); the patient folder is the lab's record and decides.
    copyFileSync(join(HORST, 'gait-raw.c3d'), join(s1, 'Walk01.c3d'));
    copyFileSync(join(HORST, 'gait-pig.c3d'), join(s1, 'Walk02.c3d'));
    copyFileSync(join(HORST, 'btk-Gait.c3d'), join(s1, 'Static01.c3d'));
    for (const n of ['Walk01', 'Walk02', 'Static01']) writeFileSync(join(s1, `${n}.Trial.enf`), '[Node Information]\nTYPE=TRIAL\n');
    copyFileSync(join(HORST, 'Walking_Hybrid_1_1.c3d'), join(s2, 'Walk01.c3d'));
    writeFileSync(join(s2, 'Walk01.Trial.enf'), '[Node Information]\nTYPE=TRIAL\n');
    const at = (d: string, iso: string) => { for (const n of readdirSync(d)) utimesSync(join(d, n), new Date(iso), new Date(iso)); };
    at(s1, '2026-11-02T10:30:00');
    utimesSync(join(s1, 'Walk02.c3d'), new Date('2026-11-02T11:45:00'), new Date('2026-11-02T11:45:00'));
    at(s2, '2025-03-14T09:00:00');
  });

  test('becomes one subject per patient folder and one session per session folder, the static trial kept as the session\'s static', async () => {
    const r = (await call('importPaths', { paths: [root] })) as any;
    assert.deepEqual(r.errors, []);
    assert.deepEqual([r.subjects, r.subjectsAdded, r.sessions, r.trialsAdded], [2, 2, 2, 4]);
    assert.deepEqual(await sessionsOf(call, 'Patient01'), [{ key: '2026-11-02 Gait', date: '2026-11-02', groupedBy: 'vicon', staticTrial: 'Static01', trials: ['Static01', 'Walk01', 'Walk02'] }]);
    assert.deepEqual(await sessionsOf(call, 'Patient02'), [{ key: 'Session 1', date: '2025-03-14', groupedBy: 'vicon', staticTrial: null, trials: ['Walk01'] }]);
    const subjects = ((await call('listSubjects', {})) as any).subjects.map((s: any) => s.code).sort();
    assert.deepEqual(subjects, ['Patient01', 'Patient02']);
    const trials = ((await call('listTrials', { search: 'Static01' })) as any).trials;
    assert.deepEqual([trials[0].attributes.trial_role, trials[0].attributes.static_rule], [{ value: 'static' }, { value: 'name' }]);
    // The static trial is no walk: a subject's parameters leave it out.
    const patient01 = trials[0].subjectId;
    const params = (await call('getParams', { subjectId: patient01 })) as any;
    assert.equal(params.trials.length, 2);
    assert.ok(!params.trials.includes(trials[0].id));
    await auditClean(ctx);
  });

  test('re-importing adds nothing; a trial added to the session folder joins the same session', async () => {
    const again = (await call('importPaths', { paths: [root] })) as any;
    assert.equal(again.trialsAdded, 0);
    copyFileSync(join(HORST, 'Walking_Hybrid_1_1.c3d'), join(s1, 'Walk03.c3d'));
    writeFileSync(join(s1, 'Walk03.Trial.enf'), '[Node Information]\nTYPE=TRIAL\n');
    const more = (await call('importPaths', { paths: [join(s1, 'Walk03.c3d')] })) as any;
    assert.equal(more.trialsAdded, 1);
    const [session] = await sessionsOf(call, 'Patient01');
    assert.deepEqual(session.trials, ['Static01', 'Walk01', 'Walk02', 'Walk03']);
    assert.equal(session.date, '2026-11-02', 'the visit keeps its date');
    await auditClean(ctx);
  });

  test('--subject and --session put every file of an import into a registered subject\'s named visit', async () => {
    const p = ((await call('createSubject', { code: 'P017' })) as any).subject;
    const lone = join(dir, 'loose', 'some folder');
    mkdirSync(lone, { recursive: true });
    copyFileSync(join(HORST, 'gait-raw.c3d'), join(lone, 'trial 7.c3d'));
    const r = (await call('importVisit', { paths: [lone], subject: 'P017', session: 'Visit 3' })) as any;
    assert.deepEqual(r.errors, []);
    assert.equal(r.subjectsAdded, 0);
    const rec = ((await call('getSubject', { id: p.id })) as any);
    assert.deepEqual(rec.sessions.map((s: any) => [s.key, s.attributes.grouped_by.value, s.trials.map((t: any) => t.key)]), [['Visit 3', 'override', ['trial 7']]]);
    assert.equal(rec.subject.cohort, 'lab');
    await assert.rejects(() => call('importVisit', { paths: [lone], session: 'bad/name' }), /session name is letters/);
    await auditClean(ctx);
  });
});

describe('a static trial without "static" in its name', () => {
  const walk = (readC3dBatch({ path: join(HORST, 'gait-raw.c3d'), name: 'gait-raw.c3d', bytes: readFileSync(join(HORST, 'gait-raw.c3d')), sha256: '' })).sessions[0].trials[0];
  test('a walk\'s markers travel metres; one standing still within centimetres is static by no movement', () => {
    const travel = medianMarkerTravelMm(walk.channels.filter((c) => c.name.endsWith('_x')).map((c) => ({ x: c.samples, y: walk.channels.find((y) => y.name === c.name.slice(0, -2) + '_y')!.samples })));
    console.log(`gait-raw.c3d: median horizontal marker travel ${travel?.toFixed(0)} mm`);
    assert.ok(travel! > 1000, `${travel}`);
    assert.equal(staticRule(walk), null);
    // The same markers held at their first position, with 3 mm of sway.
    const still: ImportedChannel[] = walk.channels.map((c) => {
      if (!/_(x|y|z)$/.test(c.name) || c.unit !== 'mm') return c;
      const start = c.samples.find((v) => !Number.isNaN(v)) ?? 0;
      return { ...c, samples: c.samples.map((_, i) => start + 3 * Math.sin(i / 7)) };
    });
    const standing: ImportedTrial = { ...walk, key: 'Trial05', channels: still };
    assert.equal(staticRule(standing), 'no movement');
    assert.equal(staticRule({ ...walk, key: 'KAD_Cal_01' }), 'name');
  });
});
