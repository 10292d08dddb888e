// SincPD data (methods-spec §5.3.1) on the real gaitpdb release: the exact 100 Hz grid, the 8 L − R differences,
// 10 s segments, training-only scaling, the three byte-identical walk pairs, and walks read from a real database
// (imported here) giving the same segments as the files read directly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../../src-main/services/context';
import { importPaths } from '../../../src-main/services/import-service';
import { readSourceFile } from '../../../src-main/formats/source-file';
import { buildSincPdDataset, readStoredWalksWithSignals, readWalkFile, type RawWalk } from '../../../src-main/methods/sincpd/data';
import { checkWalkClock, cutSegments, SEGMENT_VALUES, sensorDifferences100Hz } from '../../../src-shared/methods/sincpd/segments';
import { applySegmentScaling, fitSegmentScaling } from '../../../src-shared/methods/sincpd/segment-standardise';
import { findDuplicateWalks } from '../../../src-shared/methods/sincpd/walk-duplicates';
import { severityLabel } from '../../../src-shared/methods/sincpd/walk-labels';
import { InputError } from '../../../src-shared/domain/errors';
import { sharedData, tempDir } from '../../helpers';

const gaitpdb = (f: string) => sharedData('gaitpdb', f);
/** The three duplicate pairs (README) plus one walk of each study and group: a quick cohort. */
const WALKS = ['GaPt17_02', 'GaPt18_01', 'JuCo26_01', 'JuPt01_01', 'JuPt29_02', 'JuPt29_03', 'GaCo01_01', 'SiPt02_01'];

let ctx: ServiceContext;
before(async () => {
  ctx = openServiceContext({ dbPath: join(tempDir(), 'sincpd.db'), mode: 'cli' });
  const summary = await importPaths(ctx, [gaitpdb('demographics.txt'), ...WALKS.map((w) => gaitpdb(`${w}.txt.gz`))]);
  assert.deepEqual(summary.errors, []);
});
after(() => closeServiceContext(ctx));

test('a clock of exactly k/100 s gives the samples back unchanged; the 100.007 Hz clock lands on an exact 0.01 s grid', () => {
  const n = 2500;
  const exact = Float64Array.from({ length: n }, (_, k) => k / 100);
  const ramp = (t: ArrayLike<number>) => Array.from({ length: 8 }, (_, s) => Float64Array.from(t, (v) => (s + 1) * 10 * v + s));
  const zero = (t: ArrayLike<number>) => Array.from({ length: 8 }, () => new Float64Array(t.length));
  const same = sensorDifferences100Hz(exact, ramp(exact), zero(exact));
  assert.equal(same[0].length, n);
  same.forEach((c, s) => c.forEach((v, k) => assert.ok(Math.abs(v - ((s + 1) * 10 * exact[k] + s)) < 1e-12)));
  // gaitpdb's clock: 0.0100 s steps with a 0.0099 s step every 142 samples (≈ 100.007 Hz).
  const drift = new Float64Array(12119);
  for (let k = 1; k < drift.length; k++) drift[k] = Math.round((drift[k - 1] + (k % 142 === 0 ? 0.0099 : 0.01)) * 1e4) / 1e4;
  const out = sensorDifferences100Hz(drift, ramp(drift), zero(drift));
  assert.equal(out[0].length, Math.floor(100 * drift[drift.length - 1] + 1e-9) + 1);
  // A linear ramp in time is reproduced exactly on the grid t_k = k / 100.
  let worst = 0;
  out.forEach((c, s) => c.forEach((v, k) => { worst = Math.max(worst, Math.abs(v - ((s + 1) * 10 * (k / 100) + s))); }));
  assert.ok(worst < 1e-9, `worst ${worst}`);
  const report = checkWalkClock(drift, 'synthetic');
  assert.ok(Math.abs(report.estimatedRateHz - 100.007) < 0.001, String(report.estimatedRateHz));
});

test('a clock step outside [0.0095, 0.0105] s is refused in one line naming file, line and field', () => {
  const t = Float64Array.from({ length: 50 }, (_, k) => k / 100);
  t[30] += 0.01;
  assert.throws(() => checkWalkClock(t, 'X_01.txt'), (e: unknown) => e instanceof InputError && e.message === 'X_01.txt line 31 field time: time step 0.0200 s after 0.29 s is outside [0.0095, 0.0105] s');
});

test('segments are 1000-sample windows from sample 0: the partial tail and windows with a non-finite value are dropped', () => {
  const ch = Array.from({ length: 8 }, (_, s) => Float64Array.from({ length: 3500 }, (_, k) => s * 10000 + k));
  ch[3][2500] = NaN;
  const { starts, x } = cutSegments(ch);
  assert.deepEqual(starts, [0, 1000]);
  assert.equal(x.length, 2 * SEGMENT_VALUES);
  assert.equal(x[SEGMENT_VALUES + 5 * 1000 + 7], 5 * 10000 + 1007); // segment 2, sensor 6, sample 7
});

test('scaling is fitted on training segments only and applied unchanged to test segments', () => {
  const x = new Float32Array(3 * SEGMENT_VALUES);
  for (let j = 0; j < SEGMENT_VALUES; j++) { x[j] = j % 2 ? 1 : -1; x[SEGMENT_VALUES + j] = j % 2 ? 3 : 1; x[2 * SEGMENT_VALUES + j] = 1e6; }
  const s = fitSegmentScaling(x, [0, 1]);
  assert.equal(s.mean, 1);
  assert.equal(s.sd, Math.sqrt(2)); // values −1, 1, 1, 3: population variance 2
  assert.equal(s.fittedOn, 2);
  const test = applySegmentScaling(x, [2], s);
  assert.equal(test[0], Math.fround((1e6 - 1) / Math.sqrt(2)));
});

test('over the 306 walks of the release exactly the three byte-identical pairs are found, keeping the first name', async () => {
  const files = readdirSync(sharedData('gaitpdb')).filter((f) => /_\d\d\.txt\.gz$/.test(f));
  assert.equal(files.length, 306);
  const prints = await Promise.all(files.map(async (f) => ({ name: f.replace('.txt.gz', ''), sha256: (await readSourceFile(gaitpdb(f))).sha256 })));
  const { keep, dropped } = findDuplicateWalks(prints);
  assert.equal(keep.length, 303);
  assert.deepEqual(dropped, [
    { name: 'GaPt18_01', duplicateOf: 'GaPt17_02', by: 'file' },
    { name: 'JuPt01_01', duplicateOf: 'JuCo26_01', by: 'file' },
    { name: 'JuPt29_03', duplicateOf: 'JuPt29_02', by: 'file' },
  ]);
});

test('a PD subject without a valid H&Y is left out of severity and named, never labelled 0', () => {
  assert.deepEqual(severityLabel('JuCo05', 'Co', null), { severity: 0 });
  assert.deepEqual(severityLabel('GaCo01', 'Co', 0), { severity: 0 });
  assert.deepEqual(severityLabel('SiPt02', 'Pt', 2.5), { severity: 2 });
  assert.deepEqual(severityLabel('XxPt01', 'Pt', null), { severity: null, reason: 'XxPt01: PD subject without a Hoehn & Yahr stage' });
  assert.deepEqual(severityLabel('XxPt02', 'Pt', 1.5), { severity: null, reason: 'XxPt02: PD subject with Hoehn & Yahr 1.5, not one of 2, 2.5, 3' });
});

test('walks from the database give the same segments as the files read directly; duplicates are dropped before any split', async () => {
  const stored = readStoredWalksWithSignals(ctx.db, 'gaitpdb');
  assert.deepEqual(stored.map((w) => w.name), [...WALKS].sort());
  const fromDb = buildSincPdDataset(stored);
  assert.deepEqual(fromDb.duplicates.map((d) => `${d.name}=${d.duplicateOf}`), ['GaPt18_01=GaPt17_02', 'JuPt01_01=JuCo26_01', 'JuPt29_03=JuPt29_02']);
  const hy = new Map(stored.map((w) => [w.subject, w.hoehnYahr]));
  const files: RawWalk[] = [];
  for (const w of WALKS) files.push(await readWalkFile(gaitpdb(`${w}.txt.gz`), hy));
  const fromFiles = buildSincPdDataset(files);
  assert.deepEqual(fromFiles.set.meta, fromDb.set.meta);
  assert.deepEqual(fromFiles.set.x, fromDb.set.x);
  // 12,119-row Ga/Si walks: 121.17 s → 12,118 grid samples → 12 segments; Ju walks vary.
  const perWalk = Object.fromEntries(fromDb.walks.map((w) => [w.walk, w.segments]));
  assert.equal(perWalk.GaCo01_01, 12);
  assert.equal(perWalk.SiPt02_01, 12);
  assert.equal(fromDb.set.x.length, fromDb.set.meta.length * SEGMENT_VALUES);
  // JuCo26's walk is kept (first name), labelled control; JuPt01 (its copy) contributes nothing.
  assert.ok(fromDb.set.meta.some((m) => m.subject === 'JuCo26' && m.pd === 0));
  assert.ok(!fromDb.set.meta.some((m) => m.subject === 'JuPt01'));
  // Labels from the demographics imported into the database.
  const sev = Object.fromEntries(fromDb.set.meta.map((m) => [m.subject, m.severity]));
  assert.equal(sev.GaCo01, 0);
  assert.equal(sev.JuCo26, 0);
  assert.ok(sev.SiPt02 !== null && sev.SiPt02 > 0);
  assert.deepEqual(fromDb.severityExcluded, []);
  // x_1 = L1 − R1 at sample 0 of GaCo01_01 (first file row: the clock starts at 0, so grid sample 0 is that row).
  const g = files.find((w) => w.name === 'GaCo01_01')!;
  const row = fromDb.set.meta.findIndex((m) => m.walk === 'GaCo01_01');
  assert.equal(fromDb.set.x[row * SEGMENT_VALUES], g.left[0][0] - g.right[0][0]);
  for (const w of fromDb.walks) {
    assert.ok(w.minStepS >= 0.0099 - 1e-9 && w.maxStepS <= 0.0100 + 1e-9, JSON.stringify(w));
    assert.ok(w.maxTotalDeviationN !== null && w.maxTotalDeviationN < 0.011, `${w.walk} totals ${w.maxTotalDeviationN}`);
  }
  // A severity task on a PD subject without H&Y: the walk stays in the binary data with severity null, named.
  const noHy = buildSincPdDataset(files.map((w) => (w.subject === 'SiPt02' ? { ...w, hoehnYahr: null } : w)));
  assert.deepEqual(noHy.severityExcluded, ['SiPt02: PD subject without a Hoehn & Yahr stage']);
  assert.ok(noHy.set.meta.filter((m) => m.subject === 'SiPt02').every((m) => m.severity === null && m.pd === 1));
  assert.equal(noHy.studyStageTable.Si.excluded, 1);
});
