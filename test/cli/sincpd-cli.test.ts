// gaitlab train sincpd / gaitlab predict: argument validation and the data check on a real database with real
// gaitpdb walks, through the real command in child processes. Bad input: one line, exit code, database unchanged.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { dbFingerprint, gaitlab, sharedData, tempDir } from '../helpers';
import { closeServiceContext, openServiceContext } from '../../src-main/services/context';
import { createDispatcher } from '../../src-main/services/dispatch';
import { checkedDispatch } from '../api-contract';
import { loadSincPdImplementation, NOT_MERGED } from '../../src-main/methods/sincpd/seam';

const WALKS = ['GaCo01_01', 'GaPt03_01', 'JuPt29_02', 'JuPt29_03', 'SiCo01_01'];
const dir = tempDir();
const db = join(dir, 'sincpd.db');
const merged = loadSincPdImplementation() !== null;

before(() => {
  const r = gaitlab(['import', sharedData('gaitpdb', 'demographics.txt'), ...WALKS.map((w) => sharedData('gaitpdb', `${w}.txt.gz`)), '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
});

function refused(args: string[], code: number, line: string): void {
  const before = dbFingerprint(db);
  const r = gaitlab([...args, '--db', db, '--json']);
  assert.equal(r.code, code, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `${line}\n`);
  assert.equal(dbFingerprint(db), before, 'database unchanged');
}

test('train sincpd refuses an unknown task, config or protocol in one line (exit 2)', () => {
  refused(['train', 'sincpd', '--task', 'stage'], 2, 'gaitlab: train sincpd: unknown SincPD task "stage" (expected pd or severity)');
  refused(['train', 'sincpd', '--task', 'pd', '--config', 'sincnet'], 2, 'gaitlab: train sincpd: unknown SincPD config "sincnet" (expected sincnet-gait or sincpd-2024)');
  refused(['train', 'sincpd', '--task', 'pd', '--protocol', 'loso'], 2, 'gaitlab: train sincpd: unknown SincPD protocol "loso" (expected segment or subject-cv)');
  refused(['train', 'sincpd', '--task', 'pd', '--walks', 'first'], 2, 'gaitlab: train sincpd: unknown walk selection "first" (expected all or usual-only)');
  refused(['train', 'sincpd'], 2, 'gaitlab: train sincpd: sincpd needs --task (pd or severity)');
});

test('train sincpd on a cohort without insole walks says which curves are missing', () => {
  refused(['train', 'sincpd', '--task', 'pd', '--cohort', 'slijepcevic2021'], 1, 'gaitlab: cohort "slijepcevic2021" has no walks with the 16 insole sensor forces (L1–L8, R1–R8) that SincPD needs');
});

test('the training check (API) counts segments and subjects, drops the duplicate walk and reports the LEAKY split', async () => {
  const ctx = openServiceContext({ dbPath: db, mode: 'cli', access: 'read' });
  try {
    const call = checkedDispatch(createDispatcher(ctx));
    const r = await call('sincpdCheckTraining', { task: 'pd', protocol: 'segment' });
    assert.deepEqual(r.duplicates, [{ name: 'JuPt29_03', duplicateOf: 'JuPt29_02', by: 'file' }]);
    assert.equal(r.walks, 4);
    assert.deepEqual(r.walkLog.map((w) => [w.walk, w.rows, w.segments]), [['GaCo01_01', 12119, 12], ['GaPt03_01', 12119, 12], ['JuPt29_02', r.walkLog[2].rows, r.walkLog[2].segments], ['SiCo01_01', 12119, 12]]);
    assert.ok(r.walkLog.every((w) => w.t0S === 0 && w.estimatedRateHz > 100.006 && w.estimatedRateHz < 100.008 && w.shareOf0099Steps > 0.006 && w.shareOf0099Steps < 0.008), JSON.stringify(r.walkLog));
    assert.equal(r.subjects, 4);
    assert.equal(r.protocol, 'segment-stratified');
    assert.equal(r.label, 'LEAKY: subjects shared between train and test');
    assert.ok(r.sharedSubjects! >= 1);
    assert.equal(r.classCounts['0'] + r.classCounts['1'], r.segments);
    assert.equal(r.implementationAvailable, merged);
    const usual = await call('sincpdCheckTraining', { task: 'pd', walks: 'usual-only' });
    assert.deepEqual(usual.walkLog.map((w) => w.walk), ['GaCo01_01', 'GaPt03_01', 'SiCo01_01']);
    assert.deepEqual(usual.duplicates, []);
    const cv = await call('sincpdCheckTraining', { task: 'severity' });
    assert.equal(cv.protocol, 'subject-10fold');
    assert.equal(cv.label, null);
    // Severity classes are indices of H&Y (0, 2, 2.5, 3); the two controls are class 0.
    assert.ok(Object.keys(cv.classCounts).every((k) => ['0', '1', '2', '3'].includes(k)));
    assert.equal(Object.values(cv.classCounts).reduce((a, b) => a + b, 0), cv.segments);
    assert.equal(cv.classCounts['0'], 24);
  } finally {
    closeServiceContext(ctx);
  }
});

test('severity training names the PD subject without H&Y, and without the model side says so in one line', () => {
  const subjects = gaitlab(['subjects', '--db', db, '--json']).json.subjects as { id: string; code: string }[];
  const gapt03 = subjects.find((s) => s.code === 'GaPt03')!;
  assert.equal(gaitlab(['subject', 'edit', gapt03.id, '--unset', 'hoehn_yahr', '--db', db]).code, 0);
  const before = dbFingerprint(db);
  // QUICK settings (labelled): with the model side merged this trains for real, one epoch per stage.
  const r = gaitlab(['train', 'sincpd', '--task', 'severity', '--epochs', '1', '--param', 'quick=true', '--db', db, '--json']);
  assert.match(r.stderr, /^gaitlab: JuPt29_03 is identical to JuPt29_02: left out before any split$/m);
  assert.match(r.stderr, /^gaitlab: left out of severity: GaPt03: PD subject without a Hoehn & Yahr stage$/m);
  assert.match(r.stderr, /^gaitlab: \d+ segments of 3 subjects from 4 walks; subjects by study and H&Y: Ga 0: 1, 2: 0, 2\.5: 0, 3: 0, excluded: 1; Ju .*; Si 0: 1,/m);
  if (!merged) {
    assert.equal(r.code, 1);
    assert.ok(r.stderr.endsWith(`gaitlab: ${NOT_MERGED}\n`), r.stderr);
    assert.equal(dbFingerprint(db), before, 'no job queued');
  }
  const leaky = gaitlab(['train', 'sincpd', '--task', 'pd', '--protocol', 'segment', '--epochs', '1', '--param', 'quick=true', '--db', db, '--json']);
  assert.match(leaky.stderr, /^gaitlab: LEAKY: subjects shared between train and test \(\d+ test subjects also in training\)$/m);
});

test('predict names a bad input file, an unknown trial id and an unknown model in one line (exit 1), storing nothing', () => {
  const bad = join(dir, 'GaPt99_01.txt');
  writeFileSync(bad, '0.0000\t1\t2\n');
  refused(['predict', 'M-none', bad], 1, `gaitlab: ${bad} line 1: expected 19 columns, found 3`);
  refused(['predict', 'M-none', 'T-nope'], 1, 'gaitlab: T-nope: no such walk file, and no stored trial with that id holding the 16 insole sensor forces');
  refused(['predict', 'M-none', sharedData('gaitpdb', 'GaCo02_01.txt.gz')], 1, 'gaitlab: no model M-none');
});
