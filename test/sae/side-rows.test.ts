// GaitRec / Gutenberg PRO curves as the sparse autoencoders take them (methods-spec §5.2.3), on fixture files read
// by GaitLab's own reader: one sample per (trial, side) with side-neutral channels in the fixed order, and the
// medio-lateral mirror (`mirrorML: "auto"`) — the fixture `ml-lab-frame` stores the left foot's F_ML and COP_ML in
// the lab frame (opposite sign to the right), `ml-foot-frame` the same trials with the left side already in the
// foot's frame. QUICK SETTINGS: the models train 2 epochs (the mirror is decided before training).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gaitrecGrfFormat } from '../../src-main/formats/gaitrec-grf';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import type { CurveDataset } from '../../src-main/methods';
import { curveSamples, fitSae, modelInput } from '../../src-main/methods/sae/fit';
import { leftMlNeedsMirror, oneRowPerSide, sidedChannelPairs } from '../../src-shared/sae/side-rows';
import { gaitlab, sharedData, tempDir } from '../helpers';

const FIXTURES = resolve(__dirname, '../fixtures/gaitrec');
const COMPONENTS = ['F_V', 'F_AP', 'F_ML', 'COP_AP', 'COP_ML'];
const QUICK = { model: 'sae', preset: 'gaitlab-default', epochs: 2, latent: 8, learningRate: 1e-3, batchSize: 32 } as const;

/** A folder's ten PRO files merged per trial as the importer does: channels `<COMP>_PRO_<side>`, left before right. */
function readFolder(folder: string): { data: CurveDataset; rows: Map<string, number[]> } {
  const byTrial = new Map<string, { subject: string; channels: Map<string, Float32Array> }>();
  const rows = new Map<string, number[]>();
  for (const c of COMPONENTS) for (const side of ['left', 'right']) {
    const name = `GRF_${c}_PRO_${side}.csv`;
    const path = join(FIXTURES, folder, name);
    const bytes = readFileSync(path);
    const batch = gaitrecGrfFormat.read({ path, name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
    assert.ok(!(batch instanceof Promise));
    for (const s of batch.sessions) for (const t of s.trials) {
      const key = `${s.key}/${t.key}`;
      const trial = byTrial.get(key) ?? byTrial.set(key, { subject: s.subjectKey, channels: new Map() }).get(key)!;
      trial.channels.set(t.channels[0].name, t.channels[0].samples);
      rows.set(`${key}|${t.channels[0].name}`, Array.from(t.channels[0].samples));
    }
  }
  const trials = [...byTrial.values()];
  const channels = [...trials[0].channels.keys()];
  const x = new Float32Array(trials.length * channels.length * 101);
  trials.forEach((t, r) => channels.forEach((c, k) => x.set(t.channels.get(c)!, (r * channels.length + k) * 101)));
  return { data: { x, rows: trials.length, features: channels.length * 101, labels: trials.map(() => 'HC'), subjects: trials.map((t) => t.subject), channels, points: 101 }, rows };
}

before(async () => { await initTfjsBackend(); });

test('PRO curves of both sides: one sample per (trial, side), five side-neutral channels, D = 675 in the stacked layout', () => {
  const { data, rows } = readFolder('ml-foot-frame');
  assert.equal(data.rows, 6);
  assert.deepEqual(data.channels, ['F_V_PRO_left', 'F_V_PRO_right', 'F_AP_PRO_left', 'F_AP_PRO_right', 'F_ML_PRO_left', 'F_ML_PRO_right', 'COP_AP_PRO_left', 'COP_AP_PRO_right', 'COP_ML_PRO_left', 'COP_ML_PRO_right']);
  const split = oneRowPerSide(data)!;
  assert.equal(split.data.rows, 12);
  assert.deepEqual(split.data.channels, ['F_V_PRO', 'F_AP_PRO', 'F_ML_PRO', 'COP_AP_PRO', 'COP_ML_PRO']);
  assert.deepEqual(split.data.sides, Array.from({ length: 12 }, (_, i) => (i % 2 ? 'right' : 'left')));
  assert.deepEqual(split.sourceRow, [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  assert.deepEqual(split.data.subjects, data.subjects.flatMap((s) => [s, s]));
  // Row 2t + side holds that side's file rows of trial t, channel by channel.
  const keys = [...new Set([...rows.keys()].map((k) => k.split('|')[0]))];
  split.data.sides.forEach((side, r) => split.data.channels.forEach((c, k) => {
    assert.deepEqual(Array.from(split.data.x.subarray((r * 5 + k) * 101, (r * 5 + k + 1) * 101)), rows.get(`${keys[split.sourceRow[r]]}|${c}_${side}`), `row ${r} ${c}`);
  }));
  const input = modelInput({ channels: split.data.channels, layout: 'stacked', copReference: 'curve-mean' }, null, split.data);
  assert.equal(input.matrix.rows, 12);
  assert.equal(input.matrix.dim, 675);
  // Not complete pairs: left as it is.
  assert.equal(sidedChannelPairs(['F_V_PRO_left', 'F_V_PRO_right', 'F_AP_PRO_left']), null);
  assert.deepEqual(sidedChannelPairs(['COP_ML_PRO_left', 'F_V_PRO_right', 'F_V_PRO_left', 'COP_ML_PRO_right'])!.map((p) => [p.name, p.left, p.right]), [['F_V_PRO', 2, 1], ['COP_ML_PRO', 0, 3]]);
  assert.equal(sidedChannelPairs(['affected_vertical', 'unaffected_vertical']), null);
  assert.equal(oneRowPerSide({ ...data, channels: data.channels.map((c) => c.replace('_right', '_other')) }), null);
});

test('ML mirror: lab-frame left F_ML has the opposite sign → the left F_ML and COP_ML are negated and recorded; foot frame → untouched', async () => {
  const lab = oneRowPerSide(readFolder('ml-lab-frame').data)!.data;
  const foot = oneRowPerSide(readFolder('ml-foot-frame').data)!.data;
  const all = Array.from({ length: 12 }, (_, r) => r);
  const decided = leftMlNeedsMirror(lab, all);
  assert.ok(decided.meanLeft < 0 && decided.meanRight > 0, JSON.stringify(decided));
  assert.equal(decided.mirror, true);
  assert.equal(leftMlNeedsMirror(foot, all).mirror, false);

  const labFit = await fitSae(lab, QUICK, 42, 'cpu');
  const footFit = await fitSae(foot, QUICK, 42, 'cpu');
  assert.equal(labFit.state.card.mirroredLeftML, true);
  assert.equal(footFit.state.card.mirroredLeftML, false);
  const means = labFit.state.card.mlSideMeans!;
  assert.ok(means.left! < 0 && means.right! > 0, JSON.stringify(means));
  console.log(`  lab frame: mean F_ML left ${means.left!.toFixed(4)} ×BW, right ${means.right!.toFixed(4)} ×BW (training samples) → mirroredLeftML`);

  // Mirrored curves: the left side's F_ML and COP_ML negated, everything else as read.
  const plain = curveSamples(lab, lab.channels, 'none');
  const mirrored = curveSamples(lab, lab.channels, 'none', true);
  mirrored.forEach((s, r) => s.curves.forEach((curve, k) => {
    const ml = lab.channels[k] === 'F_ML_PRO' || lab.channels[k] === 'COP_ML_PRO';
    const sign = ml && lab.sides![r] === 'left' ? -1 : 1;
    assert.deepEqual(Array.from(curve), Array.from(plain[r].curves[k], (v) => sign * v), `row ${r} ${lab.channels[k]}`);
  }));
  assert.equal(mirrored[0].side, 'left');
  // So the lab-frame data, mirrored by its model's card, is the model input of the foot-frame data: bit for bit.
  const a = modelInput(labFit.state.card, null, lab).matrix.values;
  const b = modelInput(footFit.state.card, null, foot).matrix.values;
  assert.equal(a.length, 12 * 675);
  assert.deepEqual(Array.from(a), Array.from(b));
  assert.notDeepEqual(Array.from(modelInput({ ...labFit.state.card, mirroredLeftML: false }, null, lab).matrix.values), Array.from(b));
});

test('the replication preset never mirrors (mirrorML "off")', async () => {
  const lab = oneRowPerSide(readFolder('ml-lab-frame').data)!.data;
  const fit = await fitSae(lab, { ...QUICK, preset: 'kalam2025-replication' }, 42, 'cpu');
  assert.equal(fit.state.card.mirroredLeftML, false);
  assert.equal(fit.state.card.mlSideMeans, undefined);
});

test('end to end: gaitlab import of the lab-frame PRO files (stored in alphabetical channel order), gaitlab train sae, gaitlab features', () => {
  const db = join(tempDir(), 'gaitrec-pro.db');
  const files = COMPONENTS.flatMap((c) => ['left', 'right'].map((s) => join(FIXTURES, 'ml-lab-frame', `GRF_${c}_PRO_${s}.csv`)));
  const imported = gaitlab(['import', sharedData('gaitrec-metadata', 'gaitrec_GRF_metadata.csv'), ...files, '--db', db, '--json']);
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(imported.json.import.trials, 6);
  const trained = gaitlab(['train', 'sae', '--cohort', 'gaitrec', '--epochs', '2', '--db', db, '--json']);
  assert.equal(trained.code, 0, trained.stderr);
  const model = gaitlab(['model', trained.json.model.id, '--db', db, '--json']).json.model;
  assert.deepEqual(model.architecture.channels, ['F_V_PRO', 'F_AP_PRO', 'F_ML_PRO', 'COP_AP_PRO', 'COP_ML_PRO']);
  assert.equal(model.architecture.dim, 675);
  assert.equal(model.architecture.mirroredLeftML, true);
  assert.equal(model.dataSelection.perSide, true);
  const f = gaitlab(['features', trained.json.model.id, '--db', db, '--json']);
  assert.equal(f.code, 0, f.stderr);
  assert.equal(f.json.samples, 12, 'one sample per trial and side');
  assert.equal(f.json.analyses.samples, 12);
});
