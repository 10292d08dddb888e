// Schema version 11 on a database made by version 10: the relevance maps a lab stored for models of trial curves
// stay as they were (row_key '' for a whole trial), and a model of gait cycles can now store one map per cycle of a
// trial, each cycle's map replaced when the trial's maps are stored again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src-main/store/db';
import { migrations } from '../../src-main/store/migrations';
import { readRelevanceMaps, storeRelevanceMaps, type NewRelevanceMap } from '../../src-main/store/relevance-maps';
import { tempDir } from '../helpers';

const f32 = (values: number[]) => { const b = Buffer.alloc(values.length * 4); values.forEach((v, i) => b.writeFloatLE(v, i * 4)); return b; };
const f64 = (values: number[]) => { const b = Buffer.alloc(values.length * 8); values.forEach((v, i) => b.writeDoubleLE(v, i * 8)); return b; };

function versionTenDatabase(path: string): void {
  const db = new Database(path);
  for (const m of migrations.filter((x) => x.version <= 10)) db.exec(m.sql);
  db.pragma('user_version = 10');
  const now = '2026-12-01T09:00:00.000Z';
  db.prepare("INSERT INTO subjects (id, cohort, created_at) VALUES ('S-A', 'lab', ?)").run(now);
  db.prepare("INSERT INTO sessions (id, subject_id, key, label, created_at) VALUES ('E-A', 'S-A', 's1', 'Session 1', ?)").run(now);
  db.prepare("INSERT INTO trials (id, session_id, key, label, created_at) VALUES ('T-A', 'E-A', 'T-A', 'T-A', ?)").run(now);
  db.prepare("INSERT INTO models (id, method, name, params, artefact, created_at) VALUES ('M-A', 'Horst', 'Horst', '{}', x'00', ?)").run(now);
  db.prepare(`INSERT INTO relevance_maps (model_id, trial_id, subject_id, dataset, task, model_kind, model_hash, run, run_seed, composite, target_index,
    target_label, predicted_index, predicted_label, logits, explained_logit, samples, channels, relevance, relevance_sum, residual, scaling_ref, gaitlab_version, created_at)
    VALUES ('M-A', 'T-A', 'S-A', 'cohort lab', 'subject', 'linear-svm', 'h', 2, 1234, 'epsilon(0)', 0, 'S-A', 0, 'S-A', ?, 1.5, 2, '["x"]', ?, 1.25, 0.25, 'ref', '0.1.0', ?)`)
    .run(f64([1.5, -1.5]), f32([0.5, 0.75]), now);
  db.close();
}

const cycle = (rowKey: string, value: number): NewRelevanceMap => ({
  trialId: 'T-A', rowKey, subjectId: 'S-A', run: 1, target: { index: 0, label: 'S-A' }, predicted: { index: 0, label: 'S-A' },
  logits: Float64Array.from([value, -value]), explainedLogit: value, relevance: Float32Array.from([value, 0]), relevanceSum: value, residual: 0,
});

test('version 11 keeps the trial maps of version 10 and stores one map per gait cycle, replaced trial by trial', () => {
  const path = join(tempDir(), 'v10.db');
  versionTenDatabase(path);
  const db = openDatabase(path);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), 11);
    const [old] = readRelevanceMaps(db, 'M-A', 'epsilon(0)');
    assert.deepEqual([old.trialId, old.rowKey, old.run, old.explainedLogit, Array.from(old.relevance), Array.from(old.logits)], ['T-A', undefined, 2, 1.5, [0.5, 0.75], [1.5, -1.5]]);

    const info = { modelId: 'M-A', dataset: 'cohort lab', task: 'subject', modelKind: 'linear-svm', runSeed: 1234, composite: 'epsilon(0)', samples: 2, channels: ['x'], gaitlabVersion: 'test' };
    assert.equal(storeRelevanceMaps(db, info, [cycle('T-A@1.0000', 1), cycle('T-A@2.0000', 2)]), 2);
    assert.deepEqual(readRelevanceMaps(db, 'M-A', 'epsilon(0)').map((m) => [m.rowKey ?? '', m.explainedLogit]), [['', 1.5], ['T-A@1.0000', 1], ['T-A@2.0000', 2]]);
    // Cycles extracted again start elsewhere: the trial's cycle maps are replaced as a whole, its trial map stays.
    storeRelevanceMaps(db, info, [cycle('T-A@1.1000', 3)]);
    assert.deepEqual(readRelevanceMaps(db, 'M-A', 'epsilon(0)').map((m) => [m.rowKey ?? '', m.explainedLogit]), [['', 1.5], ['T-A@1.1000', 3]]);
    // The model's maps go with it.
    db.pragma('foreign_keys = ON');
    db.prepare("DELETE FROM models WHERE id = 'M-A'").run();
    assert.equal(readRelevanceMaps(db, 'M-A', 'epsilon(0)').length, 0);
  } finally {
    db.close();
  }
});
