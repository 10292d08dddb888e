// SincPD evaluation protocols (methods-spec §5.3.3) and the evaluation runner, on real gaitpdb walks with the quick
// band-energy baseline (quick settings: 24 subjects' usual walks, 20 epochs; labelled baseline, not SincPD).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { innerValidationSubjects, LEAKY_LABEL, segmentStratifiedSplit, subjectFolds, checkFoldAssignment } from '../../../src-shared/methods/sincpd/protocols';
import { evaluateProtocol, type FitPredict } from '../../../src-shared/methods/sincpd/evaluate-protocol';
import { buildSincPdDataset, readWalkFile, type SincPdDataset } from '../../../src-main/methods/sincpd/data';
import { bandEnergyLogisticBaseline } from '../../../src-main/methods/sincpd/baseline';
import { bandEnergyFeatures, powerSpectrum } from '../../../src-shared/methods/sincpd/band-energy';
import { SEGMENT_VALUES } from '../../../src-shared/methods/sincpd/segments';
import { formatProtocolResult } from '../../../src-shared/methods/sincpd/report-lines';
import { sharedData } from '../../helpers';

const CONTROLS = ['GaCo01', 'GaCo02', 'GaCo03', 'GaCo04', 'JuCo01', 'JuCo02', 'JuCo03', 'JuCo04', 'SiCo01', 'SiCo03', 'SiCo04', 'SiCo05'];
const PATIENTS = ['GaPt03', 'GaPt04', 'GaPt05', 'GaPt06', 'JuPt02', 'JuPt03', 'JuPt04', 'JuPt05', 'SiPt02', 'SiPt04', 'SiPt05', 'SiPt07'];
let data: SincPdDataset;
before(async () => {
  const walks = [];
  for (const s of [...CONTROLS, ...PATIENTS]) walks.push(await readWalkFile(sharedData('gaitpdb', `${s}_01.txt.gz`)));
  data = buildSincPdDataset(walks);
});

test('segment-stratified: a seeded 90/10 split stratified by class, validation the last 20 % of training, shared subjects counted', () => {
  const labels = data.set.meta.map((m) => m.pd);
  const subjects = data.set.meta.map((m) => m.subject);
  const s = segmentStratifiedSplit(labels, subjects, 42);
  const n = labels.length;
  assert.equal(s.test.length, Math.ceil(0.1 * n));
  assert.equal(s.train.length + s.validation.length + s.test.length, n);
  assert.equal(new Set([...s.train, ...s.validation, ...s.test]).size, n);
  assert.equal(s.validation.length, Math.floor(0.2 * (n - s.test.length)));
  const pdShare = (rows: number[]) => rows.filter((i) => labels[i] === 1).length / rows.length;
  assert.ok(Math.abs(pdShare(s.test) - pdShare([...Array(n).keys()])) < 1 / s.test.length + 1e-9);
  const trainSubjects = new Set([...s.train, ...s.validation].map((i) => subjects[i]));
  assert.equal(s.sharedSubjects, new Set(s.test.map((i) => subjects[i]).filter((x) => trainSubjects.has(x))).size);
  assert.ok(s.sharedSubjects > 0, 'segment splits of 2-minute walks share subjects');
  assert.equal(s.label, LEAKY_LABEL);
  assert.deepEqual(segmentStratifiedSplit(labels, subjects, 42), s);
  assert.notDeepEqual(segmentStratifiedSplit(labels, subjects, 43).test, s.test);
});

test('subject-10fold: every subject in exactly one fold, folds balanced by class, seeded; inner validation stratified', () => {
  const strata = data.set.meta.map((m) => ({ subject: m.subject, stratum: m.pd }));
  const a = subjectFolds(strata, 10, 7);
  assert.equal(Object.keys(a.subjectFold).length, 24);
  checkFoldAssignment(a, data.set.meta.map((m) => m.subject));
  // No subject in two folds: the segments of each subject all map to one fold key, and the assignment is data.
  const stored = JSON.parse(JSON.stringify(a));
  assert.deepEqual(stored, a);
  const sizes = Array.from({ length: 10 }, (_, f) => Object.values(a.subjectFold).filter((x) => x === f).length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, String(sizes));
  for (let f = 0; f < 10; f++) {
    const pd = PATIENTS.filter((s) => a.subjectFold[s] === f).length, co = CONTROLS.filter((s) => a.subjectFold[s] === f).length;
    assert.ok(pd <= 2 && co <= 2, `fold ${f}: ${pd} PD, ${co} controls`);
  }
  assert.deepEqual(subjectFolds(strata, 10, 7), a);
  assert.notDeepEqual(subjectFolds(strata, 10, 8).subjectFold, a.subjectFold);
  assert.throws(() => subjectFolds([{ subject: 'A', stratum: 0 }, { subject: 'A', stratum: 1 }], 10, 1), /subject A is in two strata/);
  assert.throws(() => checkFoldAssignment({ ...a, subjectFold: { ...a.subjectFold, GaCo01: 12 } }, ['GaCo01']), /subject GaCo01 has no fold/);
  const inner = innerValidationSubjects(strata, 0.1, 3);
  assert.equal([...inner].filter((s) => s.includes('Co')).length, 1);
  assert.equal([...inner].filter((s) => s.includes('Pt')).length, 1);
});

test('band energies: a 5 Hz sine puts its power in the 4–8 Hz band of its sensor', () => {
  const x = new Float32Array(SEGMENT_VALUES);
  for (let t = 0; t < 1000; t++) x[2 * 1000 + t] = Math.sin((2 * Math.PI * 5 * t) / 100);
  const p = powerSpectrum(x.subarray(2000, 3000));
  let peak = 0;
  p.forEach((v, k) => { if (v > p[peak]) peak = k; });
  assert.equal(Math.round((peak * 100) / 1024), 5);
  const { features, perRow } = bandEnergyFeatures(x);
  assert.equal(perRow, 56);
  const sensor3 = Array.from(features.subarray(2 * 7, 3 * 7));
  assert.equal(sensor3.indexOf(Math.max(...sensor3)), 4);
});

test('the runner refuses a severity task while a subject lacks its label, naming it', async () => {
  const set = { x: data.set.x, meta: data.set.meta.map((m) => ({ ...m, severity: m.subject === 'SiPt04' ? null : m.pd })) };
  const never: FitPredict = async () => { throw new Error('not reached'); };
  await assert.rejects(evaluateProtocol(set, 'subject-10fold', never, { task: 'severity', seed: 1 }), { message: 'severity labels are missing for 1 subject(s): SiPt04' });
});

test('subject-10fold with the baseline (quick): out-of-fold predictions for every segment, subject decisions from mean probabilities, no test data in the scaling', async () => {
  const seen: { train: number; test: number; classes: number }[] = [];
  const base = bandEnergyLogisticBaseline({ epochs: 20, seed: 5 });
  const fitPredict: FitPredict = async (input) => {
    seen.push({ train: input.trainY.length, test: input.testX.length / SEGMENT_VALUES, classes: input.classes });
    // Training data arrive standardised with their own statistics: mean 0, SD 1 over the training values.
    let s = 0, ss = 0;
    for (const v of input.trainX) { s += v; ss += v * v; }
    const m = s / input.trainX.length;
    assert.ok(Math.abs(m) < 1e-4 && Math.abs(ss / input.trainX.length - m * m - 1) < 1e-3);
    return base(input);
  };
  const r = await evaluateProtocol(data.set, 'subject-10fold', fitPredict, { task: 'pd', seed: 11 });
  assert.equal(seen.length, 10);
  assert.equal(seen.reduce((a, f) => a + f.test, 0), data.set.meta.length);
  assert.equal(r.subjects.length, 24);
  assert.equal(r.segment.binary!.n, data.set.meta.length);
  assert.equal(r.subject!.binary!.n, 24);
  for (const s of r.subjects) {
    assert.equal(s.predicted, s.probabilities[1] >= 0.5 ? 1 : 0);
    assert.equal(s.truth, s.subject.includes('Pt') ? 1 : 0);
    assert.equal(s.fold, r.foldAssignment!.subjectFold[s.subject]);
  }
  assert.equal(r.label, undefined);
  assert.ok(r.acrossFolds.accuracy.mean >= 0 && r.acrossFolds.accuracy.sd >= 0);
  const b = r.subject!.binary!;
  assert.ok(formatProtocolResult(r).every((l) => !l.includes('LEAKY')));
  assert.match(formatProtocolResult(r)[1], /^subject level \(n = 24\): accuracy /);
  console.log(`baseline (quick, 24 subjects, 20 epochs; not SincPD): subject accuracy ${b.accuracy.toFixed(3)}, AUC ${b.auc?.toFixed(3)}, segment accuracy ${r.segment.binary!.accuracy.toFixed(3)}`);
  // Band energies of insole forces separate PD from controls better than chance even in this small quick run.
  assert.ok(b.auc! > 0.5, `subject AUC ${b.auc}`);
});

test('segment-stratified results carry the LEAKY label and the number of shared subjects; no subject-level figures', async () => {
  const r = await evaluateProtocol(data.set, 'segment-stratified', bandEnergyLogisticBaseline({ epochs: 10, seed: 5 }), { task: 'pd', seed: 42 });
  assert.equal(r.label, LEAKY_LABEL);
  assert.ok(r.sharedSubjects! > 0);
  assert.equal(r.subject, null);
  assert.equal(r.segment.binary!.n, Math.ceil(0.1 * data.set.meta.length));
  const lines = formatProtocolResult(r);
  assert.ok(lines.length >= 3);
  for (const l of lines) assert.ok(l.startsWith(`LEAKY: subjects shared between train and test (${r.sharedSubjects} test subjects also in training): `), l);
});
