// The clinical GRF set's Horst folds as GaitLab's runs make them, for the benchmarks that hand a run's trials to
// PyTorch or scikit-learn (horst-rule-curves.ts, horst-ceiling.ts): the data, the fold assignment, and the class
// indices exactly as crossValidate forms them; and one run's folds written as raw float32 rows with class indices.
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { openDatabase } from '../src-main/store/db';
import { loadCurveDataset } from '../src-main/compute/curve-dataset';
import { foldsFor, type HorstData, type HorstTask } from '../src-main/methods/horst/cross-validate';
import { SAMPLES } from '../src-shared/methods/horst/architectures';
import { compareSubjectIds, runSplit } from '../src-shared/methods/horst/folds';

export interface ClinicalFolds {
  data: HorstData;
  channels: number;
  assignment: ReturnType<typeof foldsFor>;
  classes: string[];
  /** Class index of every row (−1 for rows of excluded subjects). */
  target: Int32Array;
}

export function clinicalFolds(dbPath: string, task: HorstTask, seed: number): ClinicalFolds {
  const db = openDatabase(dbPath);
  const { data: loaded } = loadCurveDataset(db, { cohort: 'slijepcevic2021' }, basename(dbPath));
  db.close();
  const data: HorstData = { x: loaded.x, rows: loaded.rows, channels: loaded.channels, subjects: loaded.subjects, groups: loaded.labels };
  const labels = task === 'subject' ? data.subjects : data.groups.map(String);
  const assignment = foldsFor(data, task, seed);
  const classes = [...new Set(labels.filter((_, i) => assignment.fold[i] >= 0))].sort(compareSubjectIds);
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  return { data, channels: data.channels.length, assignment, classes, target: Int32Array.from(labels, (l) => classIndex.get(l) ?? -1) };
}

/** x-{train,val,test}.f32 (raw, unscaled rows) and y-{train,val,test}.i32 (class indices) of one run, in `dir`. */
export function writeRunFolds(dir: string, folds: ClinicalFolds, run: number): ReturnType<typeof runSplit> {
  const split = runSplit(folds.assignment, run);
  const width = folds.channels * SAMPLES;
  for (const [name, list] of Object.entries({ train: split.train, val: split.validation, test: split.test })) {
    const x = new Float32Array(list.length * width);
    list.forEach((r, i) => x.set(folds.data.x.subarray(r * width, (r + 1) * width), i * width));
    writeFileSync(join(dir, `x-${name}.f32`), x);
    writeFileSync(join(dir, `y-${name}.i32`), Int32Array.from(list, (r) => folds.target[r]));
  }
  return split;
}
