// The real clinical GRF folder imported whole holds every trial twice: session "full" (6 channels, the merge of
// the 1-2 and 2-3-4 files) and "shearzero" (vertical forces only). A Horst model uses the full version by
// default, never both; --session shearzero selects the vertical-only one; every result names its selection; a
// selection without trials is one line and stores no model.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { api } from '../../../src-shared/api/schema';
import { gaitlab, sharedData, tempDir } from '../../helpers';
import { query } from '../../compute/grf-db';

const db = join(tempDir('gaitlab-horst-versions-'), 'versions.db');
const imported = gaitlab(['import', sharedData('slijepcevic2021-clinical-grf-mat'), '--db', db, '--json']);

function train(...extra: string[]) {
  const r = gaitlab(['train', 'horst', '--model', 'linear-svm', '--task', 'class', '--seed', '1234', '--db', db, '--json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  const id: string = r.json.model.id;
  const selection = JSON.parse(query<{ data_selection: string }>(db, 'SELECT data_selection FROM models WHERE id = ?', id)[0].data_selection) as
    { session: string | null; trials: { id: string }[]; channels: string[] };
  return { id, selection, mean: r.json.model.metrics.meanAccuracy as number };
}

test('default: the 6-channel version only (970 trials of session full); --session shearzero: the vertical-only one; results name it', () => {
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(imported.json.import.trials, 1940);
  const full = train();
  assert.equal(full.selection.session, 'full');
  assert.equal(full.selection.trials.length, 970);
  const sessions = query<{ key: string; n: number }>(db, `SELECT se.key AS key, COUNT(*) AS n FROM trials t JOIN sessions se ON se.id = t.session_id
    WHERE t.id IN (${full.selection.trials.map(() => '?').join(',')}) GROUP BY se.key`, ...full.selection.trials.map((t) => t.id));
  assert.deepEqual(sessions, [{ key: 'full', n: 970 }]);

  const vertical = train('--session', 'shearzero');
  assert.equal(vertical.selection.session, 'shearzero');
  assert.equal(vertical.selection.trials.length, 970);
  assert.ok(vertical.selection.trials.every((t) => !full.selection.trials.some((f) => f.id === t.id)));
  console.log(`linear-svm impairment (Algorithm G, k = 5): 6-channel ${full.mean.toFixed(3)}, vertical-only ${vertical.mean.toFixed(3)}`);
  assert.notEqual(full.mean, vertical.mean);

  for (const [model, session] of [[full, 'full'], [vertical, 'shearzero']] as const) {
    const r = gaitlab(['explain', model.id, '--all', '--db', db, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(api.explainModel.response.parse(r.json).explained.selection, `cohort slijepcevic2021, session ${session}`);
  }
});

test('a selection without the needed trials: one line, no model stored', () => {
  const before = query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM models')[0].n;
  const r = gaitlab(['train', 'horst', '--model', 'linear-svm', '--task', 'class', '--session', 'vertical', '--db', db]);
  assert.equal(r.code, 1);
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('gaitlab:'));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /no trials of cohort "slijepcevic2021" in session "vertical" with a subject group/);
  assert.equal(query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM models')[0].n, before);
});
