// Normative reference sets through the dispatcher, on real gaitpdb walks (insole cycles, until cycles of C3D angle
// channels exist): built from a group, versioned, exported and imported as JSON and CSV, bad files refused with
// nothing stored, deletion audited; the GPS and the gait graph answer for a trial whose PiG channels have no cycles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { createDispatcher, type Dispatch } from '../../src-main/services/dispatch';
import { importPaths } from '../../src-main/services/import-service';
import { verifyAudit } from '../../src-main/store/audit';
import { scopeCycles } from '../../src-main/services/subject-cycles';
import { curveMeanSd } from '../../src-shared/signal/curve-stats';
import { checkedDispatch } from '../api-contract';
import { sharedData, tempDir } from '../helpers';
import type { ApiResponse } from '../../src-shared/api/schema';

const dir = tempDir();
let ctx: ServiceContext;
let call: Dispatch;

const CONTROLS = ['GaCo01_01', 'GaCo02_01', 'GaCo03_01'];
const PATIENT = 'GaPt03_01';

before(async () => {
  ctx = openServiceContext({ dbPath: join(dir, 'refs.db'), mode: 'cli' });
  call = checkedDispatch(createDispatcher(ctx));
  await importPaths(ctx, [sharedData('gaitpdb', 'demographics.txt'), ...[...CONTROLS, PATIENT].map((w) => sharedData('gaitpdb', `${w}.txt.gz`))]);
});
after(() => closeServiceContext(ctx));

const counts = () => ({
  sets: (ctx.db.prepare('SELECT COUNT(*) AS n FROM reference_sets').get() as { n: number }).n,
  curves: (ctx.db.prepare('SELECT COUNT(*) AS n FROM reference_curves').get() as { n: number }).n,
  audit: (ctx.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n,
});

let first: ApiResponse<'createReference'>;

test('a reference built from the control group: members, n, and mean ± SD of the subjects’ mean curves per point', async () => {
  first = (await call('createReference', { name: 'Lab controls', group: 'control' })) as ApiResponse<'createReference'>;
  assert.equal(first.version, 1);
  assert.equal(first.method, 'NormativeReference');
  assert.equal(first.nSubjects, CONTROLS.length, 'the three controls with walks; the patient is not a member');
  const set = (await call('getReference', { name: 'Lab controls' })) as ApiResponse<'getReference'>;
  assert.equal(set.members.length, CONTROLS.length);
  assert.ok(set.members.every((m) => /^[0-9a-f]{64}$/.test(m.contentSha256 ?? '')), 'each member trial with its content hash');
  assert.ok(set.curves.length >= 2, `curves of the insole totals, found ${set.curves.map((c) => c.channel)}`);
  // Recompute one channel independently from the cycles API: each subject's mean of clean gait cycles, then across subjects.
  const curve = set.curves[0];
  const perSubject: number[][] = [];
  for (const m of set.members) {
    const cs = ((await call('getCycles', { trialId: m.trialId!, kind: 'gait_cycle', channel: curve.channel })) as ApiResponse<'getCycles'>).cycles.filter((c) => c.flags.length === 0);
    perSubject.push(Array.from(curveMeanSd(cs.map((c) => c.curve))!.mean));
  }
  const expected = curveMeanSd(perSubject)!;
  assert.equal(curve.nSubjects, 3);
  assert.equal(curve.mean.length, 101);
  for (let k = 0; k < 101; k++) {
    assert.ok(Math.abs(curve.mean[k] - expected.mean[k]) < 1e-5, `mean at ${k}%`);
    assert.ok(Math.abs(curve.sd[k] - expected.sd[k]) < 1e-5, `sd at ${k}%`);
  }
  assert.ok(curve.sd.some((v) => v > 0), 'three different subjects do not walk alike');
  const audit = ctx.db.prepare("SELECT action, new_value FROM audit_log WHERE entity = 'reference_set' AND entity_id = ?").get(first.id) as { action: string; new_value: string };
  assert.equal(audit.action, 'create');
  assert.match(audit.new_value, /"contentSha256":"[0-9a-f]{64}"/);
});

test('creating under the same name makes version 2; pooling over cycles counts every cycle', async () => {
  const second = (await call('createReference', { name: 'Lab controls', group: 'control', pooling: 'cycles' })) as ApiResponse<'createReference'>;
  assert.equal(second.version, 2);
  assert.equal(second.params.pooling, 'cycles');
  const latest = (await call('getReference', { name: 'Lab controls' })) as ApiResponse<'getReference'>;
  assert.equal(latest.id, second.id, 'a name means its latest version');
  const v1 = (await call('getReference', { name: 'Lab controls', version: 1 })) as ApiResponse<'getReference'>;
  assert.equal(v1.id, first.id);
  assert.ok(latest.curves[0].nCycles > latest.curves[0].nSubjects);
});

test('a group without subjects and an unknown channel are refused naming them, nothing stored', async () => {
  const before = counts();
  await assert.rejects(call('createReference', { name: 'x', group: 'nobody' }), /no subject in group nobody/);
  await assert.rejects(call('createReference', { name: 'x', group: 'control', channels: ['LKneeAngles_x'] }), /no clean gait cycle of LKneeAngles_x in group control/);
  assert.deepEqual(counts(), before);
});

for (const format of ['json', 'csv'] as const) {
  test(`export as ${format} and import again: the same curves, members and n under the next version`, async () => {
    const exported = (await call('exportReference', { name: 'Lab controls', version: 1, format })) as ApiResponse<'exportReference'>;
    assert.equal(exported.fileName, `Lab_controls-v1.${format}`);
    const path = join(dir, exported.fileName);
    writeFileSync(path, exported.content);
    const imported = (await call('importReference', { path })) as ApiResponse<'importReference'>;
    assert.equal(imported.origin, 'imported');
    assert.equal(imported.sourceFile, exported.fileName);
    const a = (await call('getReference', { id: first.id })) as ApiResponse<'getReference'>;
    const b = (await call('getReference', { id: imported.id })) as ApiResponse<'getReference'>;
    assert.equal(b.name, 'Lab controls');
    assert.ok(b.version > 2);
    assert.deepEqual(b.members.map((m) => [m.subjectId, m.trialId]), a.members.map((m) => [m.subjectId, m.trialId]));
    assert.equal(b.nSubjects, a.nSubjects);
    assert.deepEqual(b.curves.map((c) => [c.channel, c.unit, c.nCycles, c.nSubjects]), a.curves.map((c) => [c.channel, c.unit, c.nCycles, c.nSubjects]));
    b.curves.forEach((c, i) => c.mean.forEach((v, k) => assert.ok(Math.abs(v - a.curves[i].mean[k]) <= 1e-6, `${c.channel} mean ${k}`)));
  });
}

test('bad files: one-line error naming file, line and field; nothing stored', async () => {
  const json = ((await call('exportReference', { id: first.id, format: 'json' })) as ApiResponse<'exportReference'>).content;
  const csv = ((await call('exportReference', { id: first.id, format: 'csv' })) as ApiResponse<'exportReference'>).content;
  const jsonLines = json.split('\n');
  const curveLine = jsonLines.findIndex((l) => l.startsWith('{"channel"')) + 1;
  const csvLines = csv.split('\n');
  const sdLine = csvLines.findIndex((l) => /^[^#][^,]*,[^,]*,sd,/.test(l)) + 1;
  const cases: { file: string; content: string; error: RegExp }[] = [
    { file: 'neg.json', content: json.replace(/"sd":\[/, '"sd":[-1,'), error: new RegExp(`^neg\\.json line ${curveLine} field sd: expected 101 points, found 102$`) },
    { file: 'nan.json', content: json.replace(/"mean":\[[^,]+,/, '"mean":["x",'), error: new RegExp(`^nan\\.json line ${curveLine} field mean\\[0\\]: expected a finite number, found "x"$`) },
    { file: 'broken.json', content: json.slice(0, 200), error: /^broken\.json line \d+: not valid JSON/ },
    { file: 'fmt.json', content: json.replace('"gaitlab-reference"', '"other"'), error: /^fmt\.json line 2 field format: expected "gaitlab-reference", found "other"$/ },
    {
      file: 'neg.csv', content: csvLines.map((l, i) => (i === sdLine - 1 ? l.replace(/,([^,]+)$/, ',-0.5') : l)).join('\n'),
      error: new RegExp(`^neg\\.csv line ${sdLine} field p100: a standard deviation cannot be negative \\(-0\\.5\\)$`),
    },
    { file: 'short.csv', content: csvLines.map((l, i) => (i === sdLine - 1 ? l.replace(/,[^,]+$/, '') : l)).join('\n'), error: new RegExp(`^short\\.csv line ${sdLine}: expected 106 columns, found 105$`) },
    { file: 'n.csv', content: csv.replace(/#n_subjects,\d+/, '#n_subjects,zero'), error: /^n\.csv line \d+ field n_subjects: expected a whole number ≥ 1, found "zero"$/ },
  ];
  for (const c of cases) {
    const before = counts();
    writeFileSync(join(dir, c.file), c.content);
    await assert.rejects(call('importReference', { path: join(dir, c.file) }), (e: Error) => {
      assert.match(e.message, c.error);
      assert.ok(!e.message.includes('\n'), 'one line');
      return true;
    });
    assert.deepEqual(counts(), before, `${c.file}: nothing stored`);
  }
});

test('GPS and the gait graph of a trial without Plug-in-Gait cycles: every variable missing, panels empty with their names', async () => {
  const trial = ((await call('listTrials', { search: PATIENT })) as ApiResponse<'listTrials'>).trials[0];
  const changes = () => (ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const before = changes();
  const unread = (await call('gaitProfileScore', { trialId: trial.id, reference: { name: 'Lab controls' } })) as ApiResponse<'gaitProfileScore'>;
  assert.equal(changes(), before, 'the GPS reads only');
  assert.deepEqual(unread.unextracted, [trial.id], 'the patient’s walk was never extracted: named for the caller to extract');
  await call('extractCycles', { trialId: trial.id });
  const gps = (await call('gaitProfileScore', { trialId: trial.id, reference: { name: 'Lab controls' } })) as ApiResponse<'gaitProfileScore'>;
  assert.deepEqual(gps.unextracted, []);
  assert.equal(gps.reference.version, 4);
  assert.equal(gps.missing.length, 18);
  assert.deepEqual(gps.gps, { left: null, right: null });
  const graph = (await call('gaitGraph', { trialId: trial.id, reference: { name: 'Lab controls', version: 1 } })) as ApiResponse<'gaitGraph'>;
  const kin = graph.sheets.find((s) => s.key === 'kinematics')!;
  assert.equal(kin.panels.length, 13, '4 rows × 3 planes and foot progression');
  assert.ok(kin.panels.every((p) => p.left === null && p.right === null && /^L\w+_[xyz]$/.test(p.channels.left)));
  assert.equal(graph.bodyMassKg, 50, 'GaPt03 weighs 50 kg in demographics.txt');
  assert.equal(graph.reference?.id, first.id);
});

test('cycles of a scope carry their foot-off from the stored final contacts of their side', async () => {
  const trial = ((await call('listTrials', { search: CONTROLS[0] })) as ApiResponse<'listTrials'>).trials[0];
  const s = scopeCycles(ctx, { trialId: trial.id }, { extract: false });
  const events = ((await call('getEvents', { trialId: trial.id })) as ApiResponse<'getEvents'>).events;
  const all = [...s.byChannel.values()].flat();
  assert.ok(all.length > 20);
  for (const c of all.slice(0, 10)) {
    const raw = ((await call('getCycles', { trialId: trial.id, kind: 'gait_cycle', channel: c.channel })) as ApiResponse<'getCycles'>).cycles
      .find((x) => x.side === c.side && x.curve[50] === c.curve[50])!;
    const off = events.find((e) => e.label === 'final_contact' && e.side === c.side && e.timeS > raw.startS && e.timeS < raw.endS)!;
    assert.ok(Math.abs(c.footOffPct! - (100 * (off.timeS - raw.startS)) / (raw.endS - raw.startS)) < 1e-9);
    assert.ok(c.footOffPct! > 50 && c.footOffPct! < 75, `a healthy walk's stance ends near 60 %: ${c.footOffPct}`);
  }
});

test('deleting a version is audited and the audit chain holds', async () => {
  const before = counts();
  const res = (await call('deleteReference', { name: 'Lab controls', version: 2 })) as ApiResponse<'deleteReference'>;
  const after = counts();
  assert.equal(after.sets, before.sets - 1);
  assert.equal(after.audit, before.audit + 1);
  assert.equal((ctx.db.prepare("SELECT action FROM audit_log WHERE entity_id = ? ORDER BY seq DESC").get(res.deleted) as { action: string }).action, 'delete');
  await assert.rejects(call('getReference', { name: 'Lab controls', version: 2 }), /no reference set Lab controls version 2/);
  assert.equal(verifyAudit(ctx.db).ok, true);
});

test('audit verify vouches for every reference set: a curve edited behind GaitLab’s back is found and named', async () => {
  const clean = (await call('auditVerify', {})) as ApiResponse<'auditVerify'>;
  assert.equal(clean.ok, true, JSON.stringify(clean).slice(0, 400));
  ctx.db.prepare("UPDATE reference_curves SET mean = REPLACE(mean, '[', '[1') WHERE reference_id = ?").run(first.id);
  const tampered = (await call('auditVerify', {})) as ApiResponse<'auditVerify'>;
  assert.equal(tampered.ok, false);
  assert.match(JSON.stringify(tampered), new RegExp(`Lab controls v1[^"]*: content changed since audit row`));
});
