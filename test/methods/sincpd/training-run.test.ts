// The training run behind `gaitlab train sincpd`, through the seam of part A (seam.ts). Until part A is merged the
// model side here is the quick band-energy logistic regression wrapped in the seam's interface (labelled baseline,
// quick settings: 12 walks, 10 epochs), which checks the wiring with a real model, not SincPD's figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readHoehnYahr, readWalkFile, type RawWalk } from '../../../src-main/methods/sincpd/data';
import { bandEnergyLogisticBaseline } from '../../../src-main/methods/sincpd/baseline';
import { runSincPdProtocol, sincPdFitPredict, sincPdSelectionRecord } from '../../../src-main/methods/sincpd/training-run';
import type { SincPdImplementation, TrainedSincPd } from '../../../src-main/methods/sincpd/seam';
import { SEGMENT_VALUES } from '../../../src-shared/methods/sincpd/segments';
import { sharedData } from '../../helpers';

const SUBJECTS = ['GaCo02', 'GaCo03', 'JuCo01', 'JuCo03', 'SiCo03', 'SiCo04', 'GaPt04', 'GaPt05', 'JuPt03', 'JuPt04', 'SiPt04', 'SiPt05'];

/** The seam's interface around the baseline: train keeps the data, predict runs the baseline's fit and prediction. */
function baselineAsImplementation(calls: { train: number; predict: number }): SincPdImplementation {
  const fp = bandEnergyLogisticBaseline({ epochs: 10, seed: 3 });
  type Held = TrainedSincPd & { data: Parameters<SincPdImplementation['trainSincPd']>[0]; subjects: string[] };
  return {
    async trainSincPd(data, config) {
      calls.train++;
      assert.equal(config.profile, 'sincnet-gait');
      // The seam carries no subjects: the logistic regression's own 5 % hold-out takes rows in 7 pseudo-groups.
      return { kind: 'sincpd', task: config.task, data, subjects: Array.from(data.y, (_, i) => `row${i % 7}`) } as Held;
    },
    async predictSincPd(model, x) {
      calls.predict++;
      const m = model as Held;
      return fp({ trainX: m.data.x, trainY: m.data.y, trainSubjects: m.subjects, validX: m.data.validX, validY: m.data.validY, testX: x, classes: m.data.classes, fold: m.data.fold });
    },
  };
}

test('a severity run over subject-10fold (quick, baseline behind the seam): folds are data, the expected-stage score has its bootstrap CI', async () => {
  const hy = await readHoehnYahr(sharedData('gaitpdb', 'demographics.txt'));
  const walks: RawWalk[] = [];
  for (const s of SUBJECTS) walks.push(await readWalkFile(sharedData('gaitpdb', `${s}_01.txt.gz`), hy));
  const calls = { train: 0, predict: 0 };
  const o = { task: 'severity' as const, config: 'sincnet-gait' as const, protocol: 'subject-10fold' as const, seed: 9 };
  const { data, result } = await runSincPdProtocol(walks, o, sincPdFitPredict(baselineAsImplementation(calls), o));
  assert.equal(calls.train, result.folds.length);
  assert.equal(calls.predict, result.folds.length);
  assert.equal(result.subjects.length, 12);
  assert.equal(result.segment.multiclass!.n, data.set.meta.length);
  assert.equal(result.subject!.multiclass!.confusion.length, 4);
  for (const s of result.subjects) {
    assert.ok(s.score! >= 0 && s.score! <= 3);
    assert.equal([0, 2, 2.5, 3][s.truth], s.subject.includes('Co') ? 0 : hy.get(s.subject));
  }
  const { all, pdOnly } = result.severityScore!;
  assert.equal(all.n, 12);
  assert.equal(pdOnly.n, 6);
  assert.ok(Number.isFinite(all.rho) && all.ciLow <= all.ciHigh && all.resamples > 1900, JSON.stringify(all));
  const record = JSON.parse(JSON.stringify(sincPdSelectionRecord(data, result)));
  const folds = record.folds.subjectFold as Record<string, number>;
  assert.deepEqual(Object.keys(folds).sort(), [...SUBJECTS].sort());
  // No subject in two folds: each subject's segments were all tested in its own fold.
  for (const s of result.subjects) assert.equal(s.fold, folds[s.subject]);
  assert.equal(record.scaling.length, result.folds.length);
  assert.equal(data.set.x.length, data.set.meta.length * SEGMENT_VALUES);
  console.log(`baseline behind the seam (quick, 12 subjects; not SincPD): severity subject accuracy ${result.subject!.multiclass!.accuracy.toFixed(3)}, ρ ${all.rho.toFixed(3)} [${all.ciLow.toFixed(3)}, ${all.ciHigh.toFixed(3)}]`);
});
