// Horst on gaitpdb insole gait cycles (issue 14, methods-spec §5.1.3 b) through the real `gaitlab` (import, the
// cycle segmentation, a worker process, SQLite): ten real walks (five PD, five controls, one walk each), one row
// per clean left gait cycle with the 18 channels cut on the stored cycle's interval. Quick settings: linear SVM
// (no schedule) and an MLP with the `smoke` schedule, labelled smoke in its metrics. The linear SVM's cycles are
// explained (one map per cycle, from its test run; a walk's map the mean of its cycles'), summarised and perturbed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { api } from '../../../src-shared/api/schema';
import { dbFingerprint, gaitlab, sharedData, tempDir } from '../../helpers';
import { query } from '../../compute/grf-db';
import { openDatabase } from '../../../src-main/store/db';
import { readCycles } from '../../../src-main/store/cycles';
import { INSOLE_CHANNELS, loadInsoleCycleDataset } from '../../../src-main/compute/insole-cycle-dataset';
import { applyChannelScaling } from '../../../src-shared/methods/horst/scaling';
import { closeServiceContext, openServiceContext } from '../../../src-main/services/context';
import { createDispatcher } from '../../../src-main/services/dispatch';
import { explainableTrials, modelRows } from '../../../src-main/services/horst-rows';
import { compositeOf, explainRows, loadHorstModel } from '../../../src-main/services/horst-service';

// Ten subjects: the fewest that fill PD vs control's ten subject-grouped folds.
const WALKS = ['GaCo03', 'GaCo05', 'JuCo01', 'JuCo03', 'SiCo01', 'GaPt03', 'GaPt05', 'JuPt01', 'JuPt03', 'SiPt02'];
const db = join(tempDir('gaitlab-horst-gaitpdb-'), 'walks.db');
{
  const r = gaitlab(['import', sharedData('gaitpdb', 'demographics.txt'), ...WALKS.map((w) => sharedData('gaitpdb', `${w}_01.txt.gz`)), '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.import.trialsAdded, 10);
}
let cycleModel = '';
const count = (sql: string) => query<{ n: number }>(db, sql)[0].n;

test('train horst --cohort gaitpdb --task subject (linear SVM): cycles extracted first, T-block folds over 18-channel cycle rows, each row named with its fold', () => {
  assert.equal(count('SELECT COUNT(*) AS n FROM cycles'), 0, 'nothing extracted before training');
  const r = gaitlab(['train', 'horst', '--cohort', 'gaitpdb', '--task', 'subject', '--model', 'linear-svm', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.job.status, 'done');
  const m = r.json.model.metrics;
  assert.deepEqual([m.protocol.folds, m.protocol.k, m.protocol.seed], ['T-block', 10, 1234]);
  assert.equal(m.classes.length, 10);
  assert.ok(m.meanAccuracy >= 0.95, `subject identification on 10 walks: ${m.meanAccuracy}`);
  const [row] = query<{ data_selection: string; architecture: string }>(db, 'SELECT data_selection, architecture FROM models WHERE id = ?', r.json.model.id);
  const selection = JSON.parse(row.data_selection);
  assert.equal(selection.kind, 'insole gait cycle');
  assert.deepEqual(selection.channels, INSOLE_CHANNELS);
  assert.equal(selection.trials.length, 10);
  const cycles = selection.trials.reduce((s: number, t: { cycles: number }) => s + t.cycles, 0);
  assert.equal(Object.keys(selection.folds.byTrial).length, cycles, 'one fold per cycle row');
  assert.equal(m.confusion.flat().reduce((s: number, v: number) => s + v, 0), cycles);
  // The rows are the stored clean left gait cycles: as many as the store holds.
  assert.equal(cycles, count(`SELECT COUNT(*) AS n FROM cycles WHERE kind = 'gait_cycle' AND channel = 'L_total' AND side = 'left' AND flags IS NULL`));
  assert.equal(JSON.parse(row.architecture).channels.length, 18);
  cycleModel = r.json.model.id;
});

interface CycleMapRow { trial_id: string; row_key: string; subject_id: string; run: number; target_index: number; logits: Buffer; explained_logit: number; relevance: Buffer; relevance_sum: number; residual: number }
const float32s = (b: Buffer) => Array.from({ length: b.length / 4 }, (_, i) => b.readFloatLE(i * 4));
const float64s = (b: Buffer) => Array.from({ length: b.length / 8 }, (_, i) => b.readDoubleLE(i * 8));
const selectionOf = (id: string) => JSON.parse(query<{ data_selection: string }>(db, 'SELECT data_selection FROM models WHERE id = ?', id)[0].data_selection) as
  { folds: { byTrial: Record<string, number> }; trials: { id: string; subject: string; cycles: number }[] };

test('explain --all on a model of gait cycles: one map per cycle from the run in which the cycle was a test row; LRP conserves on each', () => {
  const selection = selectionOf(cycleModel);
  const r = gaitlab(['explain', cycleModel, '--all', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const e = api.explainModel.response.parse(r.json).explained;
  const cycles = Object.keys(selection.folds.byTrial).length;
  assert.deepEqual([e.maps, e.inputs, e.trials, e.runs, e.excludedTrials], [cycles, 'gait cycles', 10, 10, 0]);
  console.log(`explain --all on ${e.maps} gait cycles: LRP ${e.lrpSeconds.toFixed(3)} s, ${e.seconds.toFixed(2)} s in all, cycle test accuracy ${e.testAccuracy.toFixed(3)}`);
  const rows = query<CycleMapRow>(db, 'SELECT * FROM relevance_maps WHERE model_id = ? ORDER BY id', cycleModel);
  assert.equal(rows.length, cycles);
  assert.equal(new Set(rows.map((x) => x.row_key)).size, cycles);
  for (const row of rows) {
    assert.ok(row.row_key.startsWith(`${row.trial_id}@`));
    assert.equal(row.run, selection.folds.byTrial[row.row_key], 'the run in which the cycle was a test row');
    assert.equal(row.relevance.length, 18 * 101 * 4);
    assert.equal(row.explained_logit, float64s(row.logits)[row.target_index]);
    // Conservation (§5.1.11): Σ R + residual = f_y, and the stored float32 map sums to Σ R.
    assert.ok(Math.abs(row.explained_logit - row.relevance_sum - row.residual) <= 1e-12);
    const sum = float32s(row.relevance).reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(sum - row.relevance_sum) <= 1e-4 * Math.max(1, Math.abs(row.relevance_sum)), `${sum} vs ${row.relevance_sum}`);
  }
  // Again: the trial's cycle maps are replaced, not added.
  assert.equal(gaitlab(['explain', cycleModel, '--all', '--db', db]).code, 0);
  assert.equal(query(db, 'SELECT id FROM relevance_maps WHERE model_id = ?', cycleModel).length, cycles);
});

test('explain --trial on a model of gait cycles: the walk\'s map is the mean of its cycles\' maps, each from its test run', () => {
  const selection = selectionOf(cycleModel);
  const trial = selection.trials[2];
  const r = gaitlab(['explain', cycleModel, '--trial', trial.id, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const e = api.explainTrial.response.parse(r.json).explanation;
  const rows = query<CycleMapRow>(db, 'SELECT * FROM relevance_maps WHERE model_id = ? AND trial_id = ? ORDER BY id', cycleModel, trial.id);
  assert.equal(e.cycles?.n, trial.cycles);
  assert.equal(rows.length, trial.cycles);
  assert.deepEqual(e.cycles?.runs, [...new Set(rows.map((x) => x.run))].sort((a, b) => a - b));
  assert.ok(e.cycles!.runs.length > 1, 'T-block spreads a walk\'s cycles over several runs');
  assert.equal(e.cycles?.correct, rows.filter((x) => float64s(x.logits).indexOf(Math.max(...float64s(x.logits))) === x.target_index).length);
  assert.deepEqual([e.relevance.length, e.relevance[0].length, e.samples], [18, 101, 101]);
  const maps = rows.map((x) => float32s(x.relevance));
  for (const [c, t] of [[16, 20], [17, 50], [3, 0], [11, 100]]) {
    const mean = maps.reduce((s, m) => s + m[c * 101 + t], 0) / maps.length;
    assert.ok(Math.abs(e.relevance[c][t] - mean) <= 1e-5 * Math.max(1e-3, Math.abs(mean)), `channel ${c} point ${t}: ${e.relevance[c][t]} vs ${mean}`);
  }
  const meanLogit = rows.reduce((s, x) => s + x.explained_logit, 0) / rows.length;
  assert.ok(Math.abs(e.explainedLogit - meanLogit) <= 1e-12 * Math.max(1, Math.abs(meanLogit)));
  assert.ok(Math.abs(e.relevanceSum + e.residual - e.explainedLogit) <= 1e-12);
  assert.equal(e.target.label, trial.subject);
  assert.equal(e.predicted.index, e.logits.indexOf(Math.max(...e.logits)), 'the argmax of the mean logits');
  assert.ok(e.phases.length > 0 && e.phases.every((p) => ['loading response', 'mid stance', 'terminal stance', 'pre-swing', 'initial swing', 'mid swing', 'terminal swing'].includes(p.phase)), 'phases of the gait cycle');

  // With ε = 0 a linear model's residual is its class bias: equal for every cycle of one subject tested in one run.
  const z = api.explainTrial.response.parse(gaitlab(['explain', cycleModel, '--trial', trial.id, '--composite', 'epsilon(0)', '--db', db, '--json']).json).explanation;
  assert.equal(z.composite, 'epsilon(0)');
  assert.equal(gaitlab(['explain', cycleModel, '--all', '--composite', 'epsilon(0)', '--db', db]).code, 0);
  const zero = query<CycleMapRow>(db, "SELECT * FROM relevance_maps WHERE model_id = ? AND trial_id = ? AND composite = 'epsilon(0)'", cycleModel, trial.id);
  const byRun = new Map<number, number[]>();
  for (const x of zero) byRun.set(x.run, [...(byRun.get(x.run) ?? []), x.residual]);
  const [residuals] = [...byRun.values()].filter((v) => v.length >= 2);
  assert.ok(residuals, 'two cycles in one run');
  for (const v of residuals) assert.ok(Math.abs(v - residuals[0]) <= 1e-9, `${v} vs ${residuals[0]}`);
  assert.ok(Math.abs(z.residual - zero.reduce((s, x) => s + x.residual, 0) / zero.length) <= 1e-9);
});

test('linear identity on gait cycles (§5.1.11 check 1): with ε = 0 each cycle\'s map is x′ᵢ·w_iy of its test run\'s scaled cycle, to 1e-12', () => {
  const ctx = openServiceContext({ dbPath: db, mode: 'cli', readonly: true });
  try {
    const model = loadHorstModel(ctx, cycleModel);
    assert.equal(model.cycles, true);
    const trial = explainableTrials(model).ids[5];
    const rows = modelRows(ctx, model, [trial]);
    const { rows: maps } = explainRows(model, rows, compositeOf('epsilon(0)'));
    const K = model.state.classes.length;
    let checked = 0;
    rows.forEach((row, n) => {
      const run = model.state.runs.find((r) => r.run === row.fold)!;
      const x = applyChannelScaling(row.x, [0], 18, 101, run.scaling);
      const { weight, bias } = run.weights[0];
      let logit = bias[row.target];
      for (let i = 0; i < x.length; i++) {
        const expected = x[i] * weight[i * K + row.target];
        logit += expected;
        assert.ok(Math.abs(maps[n].relevance64[i] - expected) <= 1e-12 * Math.max(1e-6, Math.abs(expected)), `cycle ${row.rowKey} component ${i}: ${maps[n].relevance64[i]} vs ${expected}`);
        checked++;
      }
      assert.ok(Math.abs(maps[n].explainedLogit - logit) <= 1e-9 * Math.max(1, Math.abs(logit)));
      assert.ok(Math.abs(maps[n].residual - bias[row.target]) <= 1e-9, 'the residual is the class bias');
      assert.equal(maps[n].run, row.fold);
    });
    assert.equal(checked, rows.length * 18 * 101);
  } finally {
    closeServiceContext(ctx);
  }
});

test('explain --subject, relevance and perturb --quick on a model of gait cycles: every cycle once', () => {
  const selection = selectionOf(cycleModel);
  const subject = selection.trials[4].subject;
  const s = api.explainSubject.response.parse(gaitlab(['explain', cycleModel, '--subject', subject, '--db', db, '--json']).json).subject;
  const rows = query<CycleMapRow>(db, "SELECT * FROM relevance_maps WHERE model_id = ? AND subject_id = ? AND composite LIKE 'conv:%'", cycleModel, subject);
  assert.equal(s.cycles, rows.length);
  assert.deepEqual(s.trials, selection.trials.filter((t) => t.subject === subject).map((t) => t.id));
  const maps = rows.map((x) => float32s(x.relevance));
  const mean = maps.reduce((acc, m) => acc + m[17 * 101 + 40], 0) / maps.length;
  assert.ok(Math.abs(s.relevance[17][40] - mean) <= 1e-5 * Math.max(1e-3, Math.abs(mean)));
  assert.equal(s.truePositiveRate, rows.filter((x) => float64s(x.logits).indexOf(Math.max(...float64s(x.logits))) === x.target_index).length / rows.length);

  const summary = gaitlab(['relevance', cycleModel, '--db', db, '--json']);
  assert.equal(summary.code, 0, summary.stderr);
  const groups = api.relevanceSummary.response.parse(summary.json).summary.groups;
  assert.equal(groups.length, 10);
  assert.deepEqual(groups.find((g) => g.key === subject)?.trials, s.trials, 'each walk named once');

  const p = gaitlab(['perturb', cycleModel, '--quick', '--noise', 'gauss1', '--db', db, '--json']);
  assert.equal(p.code, 0, p.stderr);
  const pert = api.perturbModel.response.parse(p.json).perturbation;
  assert.deepEqual([pert.inputs, pert.trials, pert.relevanceMaps], ['gait cycles', Object.keys(selection.folds.byTrial).length, 'stored']);
  const random = pert.curves.find((c) => c.order === 'random')!;
  assert.equal(random.accuracy.length, 10);
  assert.ok(Math.abs(random.accuracy[0] - api.explainModel.response.parse(gaitlab(['explain', cycleModel, '--all', '--db', db, '--json']).json).explained.testAccuracy) <= 1e-12, 'clean accuracy = cycle test accuracy');
});

test('bad input: a walk whose gait cycles were cut again after training is refused in one line naming it; nothing is stored', () => {
  const trial = selectionOf(cycleModel).trials[7].id;
  assert.equal(gaitlab(['events', trial, '--detect', '--param', 'onFraction=0.2', '--db', db]).code, 0);
  assert.equal(gaitlab(['cycles', trial, '--extract', '--db', db]).code, 0);
  const before = dbFingerprint(db);
  for (const args of [['--trial', trial], ['--all']]) {
    const r = gaitlab(['explain', cycleModel, ...args, '--db', db]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr.trim(), new RegExp(`^gaitlab: trial ${trial}: none of its \\d+ gait cycles as stored now is one model ${cycleModel} was trained on \\(cycles extracted again since\\); train the model again$`));
  }
  assert.equal(dbFingerprint(db), before);
});

test('a cycle row is the stored cycle: its L_total curve is the stored one, its sensors are cut on the same interval', () => {
  const handle = openDatabase(db, { readonly: true });
  try {
    const { data, selection, rowIds } = loadInsoleCycleDataset(handle, { cohort: 'gaitpdb' }, 'walks.db');
    const trial = selection.trials[0].id;
    const stored = readCycles(handle, trial, { kind: 'gait_cycle', channel: 'L_total' }).filter((c) => c.flags.length === 0 && c.side === 'left');
    assert.equal(stored.length, selection.trials[0].cycles);
    const total = INSOLE_CHANNELS.indexOf('L_total');
    stored.forEach((c, r) => {
      assert.ok(rowIds[r].startsWith(`${trial}@`));
      const row = data.x.subarray(r * 18 * 101 + total * 101, r * 18 * 101 + (total + 1) * 101);
      for (let k = 0; k < 101; k++) assert.ok(Math.abs(row[k] - c.curve[k]) <= 1e-3 * Math.max(1, Math.abs(c.curve[k])), `cycle ${r} point ${k}: ${row[k]} vs ${c.curve[k]}`);
    });
    // L_total is the sum of the eight left sensors in gaitpdb; on the same interval the cut curves add up too.
    const r = 3;
    for (let k = 0; k < 101; k += 10) {
      let sum = 0;
      for (let s = 0; s < 8; s++) sum += data.x[r * 1818 + s * 101 + k];
      const t = data.x[r * 1818 + total * 101 + k];
      assert.ok(Math.abs(sum - t) <= 0.02 * Math.max(50, t), `point ${k}: sensors ${sum} vs total ${t}`);
    }
  } finally {
    handle.close();
  }
});

test('train horst --task pd (MLP, smoke schedule): subject-grouped 10 folds and per-subject decisions from mean probabilities', () => {
  const r = gaitlab(['train', 'horst', '--cohort', 'gaitpdb', '--task', 'pd', '--model', 'mlp3-64', '--schedule', 'smoke', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const m = r.json.model.metrics;
  assert.equal(m.schedule, 'smoke');
  assert.deepEqual([m.protocol.folds, m.protocol.k], ['G', 10]);
  assert.deepEqual([...m.classes].sort(), ['PD', 'control']);
  const sl = m.subjectLevel;
  assert.equal(sl.positiveClass, 'PD');
  assert.equal(sl.subjects, 10);
  assert.deepEqual(sl.counts, { PD: 5, control: 5 });
  assert.equal(sl.accuracy, sl.decisions.filter((d: { predicted: string; truth: string }) => d.predicted === d.truth).length / 10);
  for (const d of sl.decisions) assert.equal(d.predicted, d.probability >= 0.5 ? 'PD' : 'control');
  assert.ok(sl.auc >= 0 && sl.auc <= 1);
  // Subject-grouped: a subject's cycles all sit in one fold.
  const [row] = query<{ data_selection: string }>(db, 'SELECT data_selection FROM models WHERE id = ?', r.json.model.id);
  const byTrial = JSON.parse(row.data_selection).folds.byTrial as Record<string, number>;
  const foldOfTrial = new Map<string, Set<number>>();
  for (const [id, fold] of Object.entries(byTrial)) {
    const t = id.slice(0, id.lastIndexOf('@'));
    foldOfTrial.set(t, (foldOfTrial.get(t) ?? new Set()).add(fold));
  }
  assert.equal(foldOfTrial.size, 10);
  for (const folds of foldOfTrial.values()) assert.equal(folds.size, 1);
});

test('bad input: --task pd with a subject without a group is refused in one line naming it; nothing is queued', async () => {
  const [subject] = query<{ id: string }>(db, "SELECT s.id FROM subjects s JOIN subject_identity i ON i.subject_id = s.id WHERE i.external_id = 'JuCo01'");
  assert.ok(subject, 'JuCo01 imported');
  const e = gaitlab(['subject', 'edit', subject.id, '--clear', 'group', '--db', db]);
  assert.equal(e.code, 0, e.stderr);
  const before = count('SELECT (SELECT COUNT(*) FROM jobs) + (SELECT COUNT(*) FROM models) AS n');
  const r = gaitlab(['train', 'horst', '--cohort', 'gaitpdb', '--task', 'pd', '--model', 'linear-svm', '--db', db]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`field group: task pd .*${subject.id} \\(JuCo01\\)`));
  assert.equal(count('SELECT (SELECT COUNT(*) FROM jobs) + (SELECT COUNT(*) FROM models) AS n'), before);
  // With the group back but every subject a control, PD vs control has one group: refused, nothing queued.
  // (Edited through one in-process service, as `subject edit` does, rather than six more `gaitlab` processes.)
  const other = query<{ id: string }>(db, "SELECT id FROM subjects WHERE group_label = 'PD'");
  const ctx = openServiceContext({ dbPath: db, mode: 'cli' });
  try {
    const call = createDispatcher(ctx);
    for (const s of [subject, ...other]) await call('editSubject', { id: s.id, group: 'control' });
  } finally {
    closeServiceContext(ctx);
  }
  const one = gaitlab(['train', 'horst', '--cohort', 'gaitpdb', '--task', 'pd', '--model', 'linear-svm', '--db', db]);
  assert.equal(one.code, 1);
  assert.match(one.stderr.trim(), /^gaitlab: .*field group: task pd needs two groups \(PD and control\); cohort "gaitpdb" has 1: control$/);
  assert.equal(count('SELECT (SELECT COUNT(*) FROM jobs) + (SELECT COUNT(*) FROM models) AS n'), before);
});
