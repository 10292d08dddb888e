// Horst on gaitpdb insole gait cycles (issue 14, methods-spec §5.1.3 b) through the real `gaitlab` (import, the
// cycle segmentation, a worker process, SQLite): ten real walks (five PD, five controls, one walk each), one row
// per clean left gait cycle with the 18 channels cut on the stored cycle's interval. Quick settings: linear SVM
// (no schedule) and an MLP with the `smoke` schedule, labelled smoke in its metrics.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { gaitlab, sharedData, tempDir } from '../../helpers';
import { query } from '../../compute/grf-db';
import { openDatabase } from '../../../src-main/store/db';
import { readCycles } from '../../../src-main/store/cycles';
import { INSOLE_CHANNELS, loadInsoleCycleDataset } from '../../../src-main/compute/insole-cycle-dataset';

// Ten subjects: the fewest that fill PD vs control's ten subject-grouped folds.
const WALKS = ['GaCo03', 'GaCo05', 'JuCo01', 'JuCo03', 'SiCo01', 'GaPt03', 'GaPt05', 'JuPt01', 'JuPt03', 'SiPt02'];
const db = join(tempDir('gaitlab-horst-gaitpdb-'), 'walks.db');
{
  const r = gaitlab(['import', sharedData('gaitpdb', 'demographics.txt'), ...WALKS.map((w) => sharedData('gaitpdb', `${w}_01.txt.gz`)), '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.import.trialsAdded, 10);
}
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
  // Maps are per trial: a cycle model is refused in one line, not explained with the wrong rows.
  const e = gaitlab(['explain', r.json.model.id, '--trial', selection.trials[0].id, '--db', db]);
  assert.equal(e.code, 1);
  assert.equal(e.stderr.trim().split('\n').length, 1, e.stderr);
  assert.match(e.stderr, /trained on insole gait cycles/);
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

test('bad input: --task pd with a subject without a group is refused in one line naming it; nothing is queued', () => {
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
  const other = query<{ id: string }>(db, "SELECT id FROM subjects WHERE group_label = 'PD'");
  for (const s of [subject, ...other]) assert.equal(gaitlab(['subject', 'edit', s.id, '--group', 'control', '--db', db]).code, 0);
  const one = gaitlab(['train', 'horst', '--cohort', 'gaitpdb', '--task', 'pd', '--model', 'linear-svm', '--db', db]);
  assert.equal(one.code, 1);
  assert.match(one.stderr.trim(), /^gaitlab: .*field group: task pd needs two groups \(PD and control\); cohort "gaitpdb" has 1: control$/);
  assert.equal(count('SELECT (SELECT COUNT(*) FROM jobs) + (SELECT COUNT(*) FROM models) AS n'), before);
});
