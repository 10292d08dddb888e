// The hierarchical GP as a product, end to end through the real `gaitlab` command on a real SQLite file with six
// real gaitpdb walks (three controls, three PD; GaitLab's own InsoleEvents and cycle segmentation): fit-gp as a job
// in a worker process, the stored model restored exactly, gp-compare, asymmetry, bad input refused in one line
// with nothing stored, and cancel and kill -9 leaving no running job and no model.
// QUICK SETTINGS (labelled): M = 10, Z fixed, at most 150 iterations; the figures of record are bench:gp-gaitpdb's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { z } from 'zod';
import { api } from '../../src-shared/api/schema';
import { mannWhitneyU } from '../../src-shared/gp/comparison';
import { predict } from '../../src-shared/gp/predict';
import { loadCycleDataset } from '../../src-main/compute/cycle-dataset';
import { hierarchicalGp } from '../../src-main/methods/gp';
import { openServiceContext } from '../../src-main/services/context';
import { loadGpModel } from '../../src-main/services/gp-service';
import { dbFingerprint, gaitlab, sharedData, tempDir } from '../helpers';
import { jobRow, query, until } from '../compute/grf-db';

const WALKS = ['GaCo01_01', 'GaCo02_01', 'GaCo03_01', 'GaPt03_01', 'GaPt04_01', 'GaPt05_01'].map((f) => sharedData('gaitpdb', `${f}.txt.gz`));
const db = join(tempDir('gaitlab-gp-'), 'gp.db');
const QUICK = ['--m', '10', '--fixed-z', '--max-iterations', '150'];
const countModels = () => query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM models')[0].n;

const fitOutput = z.object({
  job: api.startTraining.response.shape.job,
  data: z.object({ trials: z.number(), subjects: z.number(), cycles: z.number(), extracted: z.number() }),
  model: z.object({
    id: z.string(), bound: z.number(), converged: z.boolean(), iterations: z.number().int(), fitSeconds: z.number(), testPoints: z.number(),
    heldOut: z.array(z.object({ group: z.string(), nmse: z.number(), msll: z.number(), points: z.number() })),
  }).nullable(),
}).strict();

let modelId = '';

test('setup: six gaitpdb walks imported by the real gaitlab import', () => {
  const r = gaitlab(['import', ...WALKS, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.import.trials, 6);
});

test('fit-gp --json extracts the cycles, fits as a job and prints model id, bound, iterations, held-out NMSE/MSLL per group, fit seconds (quick settings)', () => {
  const r = gaitlab(['fit-gp', '--signal', 'L_total,R_total', '--cohort', 'gaitpdb', ...QUICK, '--seed', '3', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = fitOutput.parse(r.json);
  assert.equal(out.job.status, 'done');
  assert.equal(out.job.method, 'HierarchicalGP');
  assert.deepEqual(out.job.data, { cohort: 'gaitpdb', session: null, channels: ['L_total', 'R_total'] });
  assert.deepEqual(out.data.extracted, 6);
  assert.equal(out.data.subjects, 6);
  // ~100 strides per 2-minute walk and foot, a few flagged at the ends.
  assert.ok(out.data.cycles > 900 && out.data.cycles < 1300, `${out.data.cycles} cycles`);
  const m = out.model!;
  assert.equal(m.iterations, 150);
  assert.equal(m.converged, false);
  assert.ok(Number.isFinite(m.bound) && m.bound < 0);
  assert.deepEqual(m.heldOut.map((h) => h.group).sort(), ['PD', 'control']);
  for (const h of m.heldOut) {
    // 30 % of each group's points held out (by point, seed 3): about 0.3 × 101 × cycles / 2 each.
    assert.ok(h.points > 10_000, `${h.group}: ${h.points} points`);
    // The group curve explains most of the variance of a held-out vertical force sample ...
    assert.ok(h.nmse > 0 && h.nmse < 15, `${h.group} NMSE ${h.nmse} %`);
    // ... and its predictive beats the training mean and variance by far (MSLL < 0 is "better than trivial").
    assert.ok(h.msll < -0.8, `${h.group} MSLL ${h.msll}`);
  }
  assert.equal(m.testPoints, m.heldOut.reduce((a, h) => a + h.points, 0));
  modelId = m.id;
  // Running gaitlab cycles afterwards reads what fit-gp extracted: nothing is left unextracted.
  const trials = gaitlab(['trials', '--db', db, '--json']).json.trials as { id: string }[];
  const cycles = gaitlab(['cycles', trials[0].id, '--db', db, '--json']);
  assert.equal(cycles.code, 0, cycles.stderr);
});

test('model <id>: θ as float32 hi + lo, noise curves, run record HG-22, data selection with content hashes, leaves and split', () => {
  const r = gaitlab(['model', modelId, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const m = r.json.model;
  assert.equal(m.method, 'HierarchicalGP');
  assert.deepEqual(m.params, { levels: 'population,group,individual,limb', noise: 'hetero', m: 10, tieLevels: false, optimizeZ: false, maxIterations: 150, split: 'point', testFraction: 0.3 });
  const names = m.weights.map((w: { name: string; shape: number[] }) => `${w.name}:${w.shape.join('x')}`);
  const size = m.architecture.thetaSize as number;
  assert.deepEqual(names, [`theta_hi:${size}`, `theta_lo:${size}`, 'leaf_noise_variance:12x101', 'group_noise_variance:2x101']);
  const rec = m.architecture.runRecord;
  assert.equal(rec.m, 10);
  assert.equal(rec.z.length, 10);
  assert.equal(rec.iterations, 150);
  assert.equal(rec.seed, 3);
  assert.deepEqual(rec.split, { mode: 'point', testFraction: 0.3, seed: 3 });
  // Untied: one kernel per node (1 population + 2 groups + 6 individuals + 12 limbs).
  assert.equal(rec.kernels.length, 21);
  assert.equal(m.dataSelection.trials.length, 6);
  const stored = new Map(query<{ id: string; content_sha256: string }>(db, 'SELECT id, content_sha256 FROM trials').map((t) => [t.id, t.content_sha256]));
  for (const t of m.dataSelection.trials) assert.equal(t.sha256, stored.get(t.id));
  assert.equal(m.dataSelection.leaves.length, 12);
});

test('the stored model restores the fitted one: an in-process fit of the same data and seed has θ to 2⁻⁴⁶ and predicts the same to 1e-9', async () => {
  const ctx = openServiceContext({ dbPath: db, mode: 'cli', access: 'read' });
  try {
    const restored = loadGpModel(ctx, modelId);
    const { data } = loadCycleDataset(ctx.db, { cohort: 'gaitpdb', session: null, channels: ['L_total', 'R_total'] }, 'gp.db');
    const fitted = await hierarchicalGp.fit(data, { m: 10, optimizeZ: false, maxIterations: 150 }, { seed: 3 });
    const here = fitted.output.state;
    assert.deepEqual(restored.leaves, here.leaves);
    assert.deepEqual(restored.heldOut, here.heldOut);
    // θ = hi + lo of two float32 tensors: every entry within 2⁻⁴⁶ of the fitted one (float32 alone: 2⁻²⁴).
    let worstTheta = 0;
    here.fitted.theta.forEach((x, i) => { worstTheta = Math.max(worstTheta, Math.abs(restored.fitted.theta[i] - x) / Math.max(Math.abs(x), 1e-30)); });
    assert.ok(worstTheta <= 2 ** -46, `largest relative difference of θ ${worstTheta}`);
    // Predictions on the same scale: each leaf's mean and predictive variance to 1e-9 of the leaf's largest value.
    const a = predict(restored.fitted), b = predict(here.fitted);
    let worst = 0;
    for (let l = 0; l < a.leaves.length; l++) {
      const meanScale = Math.max(...b.leaves[l].latentMean.map(Math.abs)), varScale = Math.max(...b.leaves[l].predVar);
      for (let j = 0; j < 101; j++) {
        worst = Math.max(worst, Math.abs(a.leaves[l].latentMean[j] - b.leaves[l].latentMean[j]) / meanScale);
        worst = Math.max(worst, Math.abs(a.leaves[l].predVar[j] - b.leaves[l].predVar[j]) / varScale);
      }
    }
    assert.ok(worst < 1e-9, `largest difference ${worst} of the leaf's scale`);
  } finally {
    ctx.db.close();
  }
});

test('gp-compare --json: MMD profile and difference process between the groups; a node against itself has no difference', () => {
  // 25 inputs (quick: each input's MMD² takes 500 + 500 draws and a median of ~500,000 distances).
  const r = gaitlab(['gp-compare', modelId, '--a', 'control', '--b', 'PD', '--points', '25', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = api.gpCompare.response.parse(r.json);
  assert.equal(out.grid.length, 25);
  assert.equal(Math.max(...out.mmdNormalised.map(Number)), 1);
  assert.equal(Math.min(...out.mmdNormalised.map(Number)), 0);
  for (let j = 0; j < 25; j++) {
    assert.ok(Math.abs(out.difference.mean[j]! - (out.b_mean[j]! - out.a_mean[j]!)) < 1e-9);
    assert.ok(out.difference.lower[j]! < out.difference.mean[j]! && out.difference.mean[j]! < out.difference.upper[j]!);
  }
  const self = api.gpCompare.response.parse(gaitlab(['gp-compare', modelId, '--a', 'PD', '--b', 'PD', '--points', '25', '--db', db, '--json']).json);
  assert.ok(self.difference.mean.every((d) => d === 0));
  // Unbiased MMD² of two samples of one distribution scatters around 0; between the groups it is far larger somewhere.
  assert.ok(Math.max(...self.mmd.map((x) => Math.abs(x!))) < Math.max(...out.mmd.map(Number)) / 2);
});

test('asymmetry --json: a W1 score per subject, group distributions and the Mann–Whitney p of the scores; --subject places one', () => {
  const r = gaitlab(['asymmetry', modelId, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = api.gpAsymmetry.response.parse(r.json);
  assert.equal(out.scores.length, 6);
  for (const s of out.scores) {
    assert.ok(s.score > 0 && s.exactScore > 0);
    // The sampled W1 (500 draws) and the exact Gaussian value agree to a few per cent of the area.
    assert.ok(Math.abs(s.score - s.exactScore) < 0.2 * s.exactScore, `${s.subject}: ${s.score} vs ${s.exactScore}`);
  }
  assert.deepEqual(out.groups.map((g) => g.n), [3, 3]);
  const mw = out.mannWhitney!;
  const of = (g: string) => out.scores.filter((s) => s.group === g).map((s) => s.score);
  assert.equal(mw.p, mannWhitneyU(of(mw.a), of(mw.b)).p);
  assert.equal(mw.method, 'exact');
  const one = out.scores[0];
  const sub = api.gpAsymmetry.response.parse(gaitlab(['asymmetry', modelId, '--subject', one.subject, '--db', db, '--json']).json).subject!;
  assert.equal(sub.score, one.score);
  assert.equal(sub.profile.length, 100);
  const bad = gaitlab(['asymmetry', modelId, '--subject', 'S-NOPE', '--db', db, '--json']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr.trim(), /^gaitlab: subject S-NOPE is not in model M-\w+$/);
});

test('bad input: a one-line error naming what is wrong, exit 1 (2 for an unknown option), and the database unchanged', () => {
  const before = dbFingerprint(db);
  const cases: [string[], RegExp, number][] = [
    [['--signal', 'L_totl,R_total', '--cohort', 'gaitpdb'], /field signal: no channel "L_totl" in the trials of cohort "gaitpdb" \(channels: .*L_total/, 1],
    [['--signal', 'L_total', '--cohort', 'nobody'], /field cohort: no trials of cohort "nobody" with a subject group/, 1],
    [['--signal', 'L_total', '--cohort', 'gaitpdb', '--noise', 'loud'], /HierarchicalGP: parameter noise = "loud" is not one of "hetero", "homo"/, 1],
    [['--signal', 'L_total', '--cohort', 'gaitpdb', '--levels', 'population,group'], /HierarchicalGP: parameter levels = "population,group" is not one of/, 1],
    [['--signal', 'L_total', '--cohort', 'gaitpdb', '--m', '1'], /HierarchicalGP: parameter m = 1 is out of range \(2 ≤ m ≤ 200/, 1],
    [['--signal', 'L_total', '--cohort', 'gaitpdb', '--lengthscale', '3'], /unknown option '--lengthscale'/, 2],
  ];
  for (const [args, pattern, code] of cases) {
    const r = gaitlab(['fit-gp', ...args, '--db', db, '--json']);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.equal(r.stdout, '');
  }
  // The generic train command cannot name cycle channels: it points to fit-gp.
  const train = gaitlab(['train', 'HierarchicalGP', '--cohort', 'gaitpdb', '--db', db, '--json']);
  assert.equal(train.code, 1, train.stderr);
  assert.match(train.stderr.trim(), /^gaitlab: HierarchicalGP trains on gait cycles of named channels: use fitGp \(gaitlab fit-gp --signal …\)$/);
  assert.equal(dbFingerprint(db), before);
});

test('bad input: subjects of the cohort without a group are named, and nothing is stored', () => {
  const subjects = gaitlab(['subjects', '--db', db, '--json']).json.subjects as { id: string; group: string }[];
  const target = subjects.find((s) => s.group === 'PD')!;
  assert.equal(gaitlab(['subject', 'edit', target.id, '--clear', 'group', '--db', db, '--json']).code, 0);
  const before = dbFingerprint(db);
  const r = gaitlab(['fit-gp', '--signal', 'L_total,R_total', '--cohort', 'gaitpdb', ...QUICK, '--db', db, '--json']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr.trim(), new RegExp(`^gaitlab: gp\\.db: field group: 1 subject of cohort "gaitpdb" has no group: ${target.id} \\(GaPt0\\d\\); set it with gaitlab subject edit <id> --group G$`));
  assert.equal(dbFingerprint(db), before);
  assert.equal(gaitlab(['subject', 'edit', target.id, '--group', 'PD', '--db', db, '--json']).code, 0);
});

/** A detached fit that takes minutes (M = 40, Z released), once its worker reports progress. */
async function longFit(): Promise<string> {
  const r = gaitlab(['fit-gp', '--signal', 'L_total,R_total', '--cohort', 'gaitpdb', '--m', '40', '--detach', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const id = r.json.job.id as string;
  await until('the GP job to iterate', () => {
    const j = jobRow(db, id);
    return j.status === 'running' && j.progress > 0 && /iteration \d+, bound/.test(j.stage ?? '') ? j : undefined;
  });
  return id;
}

test('jobs cancel mid-fit: the GP job ends cancelled with no model', async () => {
  const before = countModels();
  const id = await longFit();
  const r = gaitlab(['jobs', 'cancel', id, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.job.status, 'cancelled');
  assert.equal(jobRow(db, id).model_id, null);
  assert.equal(countModels(), before);
});

test('kill -9 of the GP worker mid-fit: the next gaitlab jobs marks it failed "interrupted"; no running job, no model', async () => {
  const before = countModels();
  const id = await longFit();
  const pid = jobRow(db, id).worker_pid!;
  process.kill(pid, 'SIGKILL');
  await until('the worker to die', () => { try { process.kill(pid, 0); return undefined; } catch { return true; } });
  const r = gaitlab(['jobs', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const job = r.json.jobs.find((j: { id: string }) => j.id === id);
  assert.equal(job.status, 'failed');
  assert.equal(job.error, 'interrupted');
  assert.equal(r.json.jobs.filter((j: { status: string }) => j.status === 'running').length, 0);
  assert.equal(countModels(), before);
  assert.equal(query(db, 'SELECT id FROM models WHERE job_id = ?', id).length, 0);
});
