// SincPD end to end through the real commands in child processes, on a real database of real gaitpdb walks:
// `gaitlab train sincpd` as a job (QUICK settings, labelled: 6 filters per sensor, batch 8, 1 epoch per stage;
// these are wiring checks, never the method's figures), the stored model (scaling, task, folds, metrics, filters
// before and after pruning), `gaitlab predict` on a file not in the database and on a stored trial, `gaitlab
// explain` of the model, and a cancel and a kill -9 mid-way that leave no running job and no model.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { api } from '../../src-shared/api/schema';
import { dbFingerprint, gaitlab, sharedData, tempDir } from '../helpers';
import { jobRow, query, until } from '../compute/grf-db';

// Two controls and two PD subjects of two studies (H&Y 2.5 and 3), one walk each.
const WALKS = ['GaCo01_01', 'GaCo02_01', 'GaPt03_01', 'GaPt04_01'];
const QUICK = ['--epochs', '1', '--param', 'quick=true'];
const dir = tempDir();
const db = join(dir, 'sincpd-job.db');

before(() => {
  const r = gaitlab(['import', sharedData('gaitpdb', 'demographics.txt'), ...WALKS.map((w) => sharedData('gaitpdb', `${w}.txt.gz`)), '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
});

const models = () => query<{ id: string }>(db, 'SELECT id FROM models').length;
const modelRow = (id: string) => query<{ preprocessing: string; data_selection: string; metrics: string; architecture: string }>(db, 'SELECT preprocessing, data_selection, metrics, architecture FROM models WHERE id = ?', id)[0];

let pdModel = '';

test('QUICK: train sincpd --task pd (subject-cv) stores the final model with its scaling, task, fold assignment, both levels of metrics and the filters before and after pruning', () => {
  const r = gaitlab(['train', 'sincpd', '--task', 'pd', ...QUICK, '--seed', '3', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = r.json as { job: { id: string; status: string; modelId: string }; model: { id: string; metrics: Record<string, unknown> } };
  assert.equal(out.job.status, 'done');
  pdModel = out.model.id;
  const row = modelRow(pdModel);
  const pre = JSON.parse(row.preprocessing);
  assert.equal(pre.task, 'pd');
  assert.ok(Number.isFinite(pre.scaling.mean) && pre.scaling.sd > 0, JSON.stringify(pre.scaling));
  const sel = JSON.parse(row.data_selection);
  // Every subject in exactly one fold (data, stored with the model); the final model trained on all of them.
  assert.deepEqual(Object.keys(sel.sincpd.folds.subjectFold).sort(), ['GaCo01', 'GaCo02', 'GaPt03', 'GaPt04']);
  assert.deepEqual([...sel.finalModel.trainSubjects, ...sel.finalModel.validationSubjects].sort(), ['GaCo01', 'GaCo02', 'GaPt03', 'GaPt04']);
  assert.equal(sel.trials.length, 4);
  const m = out.model.metrics as Record<string, any>;
  assert.equal(m.settings, "QUICK (tests/CI): not the method's figures");
  assert.equal(m.protocol, 'subject-10fold');
  assert.equal(m.leaky, 0);
  assert.equal(m.subject.binary.n, 4, 'subject level: one prediction per subject');
  assert.equal(m.segment.binary.n, 48, 'segment level: 12 segments of each walk');
  assert.ok(m.accuracy >= 0 && m.accuracy <= 1);
  const stages = m.filters as { stage: string; filtersPerSensor: number[] }[];
  assert.deepEqual(stages.map((s) => s.stage), ['binary', 'binary-pruned']);
  assert.deepEqual(stages[0].filtersPerSensor, [6, 6, 6, 6, 6, 6, 6, 6]);
  assert.ok(stages[1].filtersPerSensor.every((k, i) => k >= 1 && k <= stages[0].filtersPerSensor[i]));
  assert.equal(m.filtersAfter, stages[1].filtersPerSensor.reduce((a, b) => a + b, 0));
  const log = gaitlab(['jobs', 'show', out.job.id, '--db', db, '--json']).json.log as { line: string }[];
  assert.ok(log.some((l) => /^data: 4 walks of 4 subjects/.test(l.line)), JSON.stringify(log));
  assert.ok(log.some((l) => new RegExp(`^model ${pdModel}: QUICK settings: subject-level, subject-grouped CV accuracy`).test(l.line)), JSON.stringify(log));
  assert.equal(query(db, "SELECT id FROM jobs WHERE status IN ('running', 'queued')").length, 0);
});

test('predict: a walk file not in the database (nothing stored) and a stored trial, per walk P(PD), class and per-segment detail', () => {
  const file = sharedData('gaitpdb', 'GaPt05_01.txt.gz');
  const beforePrint = dbFingerprint(db);
  const r = gaitlab(['predict', pdModel, file, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  api.sincpdPredict.response.parse(r.json);
  assert.equal(dbFingerprint(db), beforePrint, 'nothing stored for a file');
  const [p] = r.json.predictions;
  assert.deepEqual([p.walk, p.stored, p.segments, p.perSegment.length], ['GaPt05_01', false, 12, 12]);
  assert.ok(p.pdProbability > 0 && p.pdProbability < 1);
  const mean = p.perSegment.reduce((a: number, s: { probabilities: number[] }) => a + s.probabilities[1], 0) / 12;
  assert.ok(Math.abs(mean - p.pdProbability) < 1e-9, 'the walk figure is the mean over its segments');
  assert.equal(p.predictedClass, p.pdProbability >= 0.5 ? 1 : 0);
  assert.equal(p.hoehnYahrEstimate, null);
  for (const s of p.perSegment) assert.ok(Math.abs(s.probabilities[0] + s.probabilities[1] - 1) < 1e-6);
  const trial = query<{ id: string }>(db, "SELECT id FROM trials WHERE key = 'GaPt03_01'")[0].id;
  const t = gaitlab(['predict', pdModel, trial, '--db', db]);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /^GaPt03_01 \(stored, 12 segments\): P\(PD\) 0\.\d{3} ± 0\.\d{3} → (PD|control)$/m);
});

test('explain: filters with nominal and measured bands, energies per class, ΔE ranks, the top 20 % and sensor positions', () => {
  const r = gaitlab(['explain', pdModel, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const res = api.sincpdExplain.response.parse(r.json);
  const e = res.explanation;
  assert.equal(res.segments.n, res.segments.healthy + res.segments.pd);
  assert.ok(res.segments.healthy > 0 && res.segments.pd > 0);
  const stored = JSON.parse(modelRow(pdModel).metrics).filters as { filtersPerSensor: number[] }[];
  assert.equal(e.filters.length, stored[1].filtersPerSensor.reduce((a, b) => a + b, 0), 'the pruned front end');
  assert.deepEqual([...e.filters.map((f) => f.rank)].sort((a, b) => a - b), e.filters.map((_, i) => i + 1));
  assert.equal(e.filters.filter((f) => f.top20).length, Math.floor(0.2 * e.filters.length));
  for (const f of e.filters) {
    assert.ok(Math.abs(f.deltaE - (f.energyHealthy - f.energyPD)) < 1e-9 * Math.max(1, Math.abs(f.energyHealthy)));
    assert.ok(f.f1Hz < f.f2Hz && f.measuredBandsHz.length >= 0);
    assert.equal(f.posLeft.x, -f.posRight.x);
  }
  assert.deepEqual(e.sensors.map((s) => s.sensor).sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
  const text = gaitlab(['explain', pdModel, '--db', db]);
  assert.match(text.stdout, /^ {2}#1 sensor \d \(.+\) filter \d+: [\d.]+–[\d.]+ Hz/m);
});

test('QUICK: a severity model (segment protocol, LEAKY labelled) gives an H&Y estimate from predict', () => {
  const r = gaitlab(['train', 'sincpd', '--task', 'severity', '--protocol', 'segment', ...QUICK, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^gaitlab: LEAKY: subjects shared between train and test \(\d+ test subjects also in training\)$/m);
  const m = r.json.model.metrics;
  assert.equal(m.label, 'LEAKY: subjects shared between train and test');
  assert.equal(m.leaky, 1);
  assert.deepEqual(m.filters.map((s: { stage: string }) => s.stage), ['binary', 'binary-pruned', 'severity']);
  assert.deepEqual(m.filters[2].filtersPerSensor, m.filters[1].filtersPerSensor, 'the severity front end is the pruned binary one');
  const p = gaitlab(['predict', r.json.model.id, sharedData('gaitpdb', 'GaPt05_01.txt.gz'), '--db', db, '--json']);
  assert.equal(p.code, 0, p.stderr);
  const w = p.json.predictions[0];
  assert.equal(p.json.task, 'severity');
  assert.ok(w.hoehnYahrEstimate >= 0 && w.hoehnYahrEstimate <= 3);
  assert.equal(w.perSegment[0].probabilities.length, 4);
});

async function runningJob(): Promise<{ id: string; pid: number }> {
  const r = gaitlab(['train', 'sincpd', '--task', 'pd', '--epochs', '500', '--param', 'quick=true', '--detach', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const id = r.json.job.id as string;
  await until('the SincPD job to train', () => (jobRow(db, id).status === 'running' && jobRow(db, id).progress > 0 ? true : undefined));
  return { id, pid: jobRow(db, id).worker_pid! };
}

test('cancel mid-way ends the job cancelled with nothing stored; kill -9 of the worker leaves it failed "interrupted", nothing running', async () => {
  const before = models();
  const a = await runningJob();
  const c = gaitlab(['jobs', 'cancel', a.id, '--db', db, '--json']);
  assert.equal(c.code, 0, c.stderr);
  assert.equal(c.json.job.status, 'cancelled');
  assert.equal(models(), before);
  const b = await runningJob();
  process.kill(b.pid, 'SIGKILL');
  await until('the worker to die', () => { try { process.kill(b.pid, 0); return undefined; } catch { return true; } });
  const jobs = gaitlab(['jobs', '--db', db, '--json']).json.jobs as { id: string; status: string; error: string | null }[];
  const j = jobs.find((x) => x.id === b.id)!;
  assert.deepEqual([j.status, j.error], ['failed', 'interrupted']);
  assert.equal(jobs.filter((x) => x.status === 'running' || x.status === 'queued').length, 0);
  assert.equal(models(), before);
});
