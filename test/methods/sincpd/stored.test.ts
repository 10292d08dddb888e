// A SincPD model goes through the models table of a real SQLite file (JSON architecture, packed float32 weights)
// and comes back predicting exactly what it predicted before. QUICK training settings (labelled).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { packTensors, unpackTensors } from '../../../src-main/compute/trainable';
import { initTfjsBackend } from '../../../src-main/compute/tfjs/backend';
import { explainFitted, sincPdFromStored, sincPdHeadline, sincPdToStored, SINCPD_NAME } from '../../../src-main/methods/sincpd/stored';
import { predictSincPd, QUICK_SINCPD_CONFIG, trainSincPd } from '../../../src-main/methods/sincpd/train';
import { openDatabase } from '../../../src-main/store/db';
import { insertModel, readModel } from '../../../src-main/store/models';
import { tempDir } from '../../helpers';
import { gaitpdbSegments, interleave } from './gaitpdb-segments';

before(async () => {
  assert.equal((await initTfjsBackend({ order: ['wasm'] })).backend, 'wasm');
});

test('a SincPD model (every net, weights and bands) survives the models table and predicts the same probabilities', async () => {
  const data = interleave(gaitpdbSegments([{ file: 'GaCo03_01.txt.gz', label: 0 }, { file: 'GaPt05_01.txt.gz', label: 1 }], 4));
  const fitted = await trainSincPd(data, { task: 'pd', profile: 'sincpd-2024', ...QUICK_SINCPD_CONFIG, epochs: 1, seed: 5 });
  const stored = sincPdToStored({ fitted, standardisation: { mean: 0.25, sd: 113.5, fittedOn: 'training segments' } });
  assert.ok(stored.tensors.some((t) => t.name === 'binary-pruned/sinc_s1/filt_b1'));
  const { manifest, bytes } = packTensors(stored.tensors);
  const path = join(tempDir('sincpd-store-'), 'm.db');
  const db = openDatabase(path);
  try {
    insertModel(db, {
      id: 'm1', method: SINCPD_NAME, methodVersion: '1', name: 'quick', jobId: null, params: { ...fitted.config }, architecture: stored.architecture,
      weightsManifest: manifest, weights: bytes, dataSelection: {}, preprocessing: stored.preprocessing, seed: 5, backend: fitted.backend.tier,
      metrics: { validationAccuracy: fitted.stages[1].bestValidationAccuracy }, gaitlabVersion: 'test', actor: 'test',
    });
    const row = readModel(db, 'm1')!;
    const back = sincPdFromStored({ architecture: row.architecture!, preprocessing: row.preprocessing!, tensors: unpackTensors(row.weightsManifest, row.weights!) });
    assert.deepEqual(back.standardisation, { mean: 0.25, sd: 113.5, fittedOn: 'training segments' });
    assert.deepEqual(back.fitted.stages.map((s) => s.parameters), fitted.stages.map((s) => s.parameters));
    assert.deepEqual(back.fitted.pruning!.map((p) => p.k), fitted.pruning!.map((p) => p.k));
    assert.equal(back.fitted.bandsAfterTraining.length, fitted.bandsAfterTraining.length);
    assert.ok(back.fitted.bandsAfterTraining.every((b) => b.aliased), 'sincpd-2024 filters are flagged aliased');
    for (const stage of ['binary', 'binary-pruned'] as const) {
      assert.deepEqual(predictSincPd(back.fitted, data.x, stage).probabilities, predictSincPd(fitted, data.x, stage).probabilities, stage);
    }
    // The explanation reads the pruned binary network's bands, the same from the stored model as from the fitted one.
    const explanation = explainFitted(back.fitted, { x: data.x, n: data.n, length: 1000, label: data.y });
    assert.equal(explanation.filters.length, fitted.pruning!.reduce((s, p) => s + p.k, 0));
    assert.ok(explanation.filters.every((f) => f.aliased && f.paperPlotBandHz));
    assert.deepEqual(explanation, explainFitted(fitted, { x: data.x, n: data.n, length: 1000, label: data.y }));
    console.log(sincPdHeadline(row.metrics as Record<string, number>));
    assert.match(sincPdHeadline(row.metrics as Record<string, number>), /^validation accuracy \d+\.\d % \(early-stopping data, not a test figure\)$/);
    assert.equal(sincPdHeadline({ accuracy: 0.9815, leaky: 1 }), 'LEAKY: subjects shared between train and test; segment-level accuracy 98.2 %');
    assert.equal(sincPdHeadline({ accuracy: 0.9, auc: 0.951 }), 'subject-level, subject-grouped CV accuracy 90.0 %, AUC 0.951');
  } finally {
    db.close();
  }
  assert.throws(() => sincPdFromStored({ architecture: { type: 'Horst' }, preprocessing: {}, tensors: new Map() }), /not a SincPD model/);
});
