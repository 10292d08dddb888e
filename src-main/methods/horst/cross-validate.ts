// One Horst experiment: a task on a data set, the fold assignment of §5.1.3 (computed once from the run seed and
// shared by every model), and for each run r the model fitted on the training folds (scaling fitted there too,
// §5.1.2) and scored on fold r. Reports per-run accuracy, mean ± SD (ddof = 0, §5.1.12), the confusion matrix
// summed over runs, and names the protocol: seed, k, fold algorithm, schedule, patience, scaling fit set.
import { forwardActivations } from '../../../src-shared/lrp/layers';
import { lrpModel, modelPlan, SAMPLES, type HorstModelKind, type LayerWeights } from '../../../src-shared/methods/horst/architectures';
import { compareSubjectIds, foldsG, foldsT, foldsTBlock, runSplit, type FoldAssignment } from '../../../src-shared/methods/horst/folds';
import { PRNG_NAME, uniformStream } from '../../../src-shared/methods/horst/random';
import { applyChannelScaling, fitChannelScaling, type ChannelScaling } from '../../../src-shared/methods/horst/scaling';
import type { Schedule } from '../../../src-shared/methods/horst/schedule';
import { positiveClassOf, softmaxProbability, subjectLevelDecisions, type SubjectLevelResult } from '../../../src-shared/methods/horst/subject-level';
import { fitLinearSvm } from './linear-svm';
import { trainNetwork, type Evaluation, type PhaseRecord } from './train-network';

export type HorstTask = 'subject' | 'class' | 'pd';

export interface HorstData {
  /** rows × channels·101, channel-major. */
  x: Float32Array;
  rows: number;
  channels: string[];
  subjects: string[];
  /** Class label per row for the class/pd tasks (subject group); unused for subject identification. */
  groups: (string | null)[];
  /** Cycles cut from continuous walks (gaitpdb): subject identification uses T-block (§5.1.3 b). */
  continuousWalks?: boolean;
}

export interface HorstRun {
  run: number;
  accuracy: number;
  trainTrials: number;
  validationTrials: number;
  testTrials: number;
  weights: LayerWeights[];
  scaling: ChannelScaling;
  phases?: PhaseRecord[];
  svm?: { passes: number[]; converged: boolean[] };
  /** Predicted class of each test row (indices into `testRows`). */
  testRows: number[];
  predicted: number[];
}

export interface HorstExperiment {
  kind: HorstModelKind;
  task: HorstTask;
  classes: string[];
  assignment: FoldAssignment;
  runs: HorstRun[];
  accuracies: number[];
  mean: number;
  /** ddof = 0 over the runs done (§5.1.12). */
  sd: number;
  /** [true][predicted], summed over the runs done. */
  confusion: number[][];
  /** Recall of each class from the summed confusion matrix (§5.1.12). */
  perClassRecall: (number | null)[];
  /** Mean recall over the classes present; for grouped tasks (class, pd). */
  balancedAccuracy: number;
  /** Grouped tasks: accuracy of the majority vote over each subject's test trials (ties → lowest class index). */
  subjectLevelAccuracy: number | null;
  /** PD vs control: per-subject decisions from the mean P(PD) of its out-of-fold rows, with accuracy, balanced accuracy and AUC. */
  subjectLevel: SubjectLevelResult | null;
  protocol: { seed: number; k: number; folds: string; schedule: string; patience: number | null; scalingFitSet: string; prng: string; runsDone: number[] };
}

function labelsFor(data: HorstData, task: HorstTask): string[] {
  if (task === 'subject') return data.subjects;
  return data.groups.map((g, i) => {
    if (g === null || g === '') throw new RangeError(`task ${task}: subject ${data.subjects[i]} has no group label`);
    return g;
  });
}

export function foldsFor(data: HorstData, task: HorstTask, seed: number): FoldAssignment {
  // The algorithms order subjects by id; GaitLab's ids are random per import, so they get each subject's rank of first
  // appearance in the rows instead (rows come in the source's order: store/training-data.ts), mapped back for reports.
  const rank = new Map<string, string>();
  for (const s of data.subjects) if (!rank.has(s)) rank.set(s, String(rank.size).padStart(6, '0'));
  const subjectOf = new Map([...rank].map(([s, k]) => [k, s]));
  const keys = data.subjects.map((s) => rank.get(s)!);
  const named = (f: () => FoldAssignment): FoldAssignment => {
    try {
      const r = f();
      return { ...r, excludedSubjects: r.excludedSubjects.map((k) => subjectOf.get(k) ?? k) };
    } catch (e) {
      if (e instanceof RangeError) throw new RangeError(e.message.replace(/\b\d{6}\b/g, (k) => subjectOf.get(k) ?? k));
      throw e;
    }
  };
  if (task === 'subject') return named(() => (data.continuousWalks ? foldsTBlock(keys, seed) : foldsT(keys, seed)));
  const labels = labelsFor(data, task);
  if (task === 'pd') return named(() => foldsG(keys, labels, 10, seed));
  // Impairment class: the same k as subject identification on this set (§5.1.3 a: k = 5 on the clinical set).
  return named(() => foldsG(keys, labels, foldsT(keys, seed).k, seed));
}

function argmax(values: ArrayLike<number>, offset: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (values[offset + j] > values[offset + best]) best = j;
  return best;
}

/** Logits (rows × classes) of scaled rows through dense/CNN weights in float64 (the same network LRP explains). */
export function scoreRows(kind: HorstModelKind, channels: number, classes: number, weights: readonly LayerWeights[], x: Float32Array, rows: number): Float64Array {
  // The float64 network LRP explains also scores: one code path for predicting and explaining.
  const model = lrpModel(modelPlan(kind, channels, classes), weights);
  const width = channels * SAMPLES;
  const out = new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    const acts = forwardActivations(model, Float64Array.from(x.subarray(r * width, (r + 1) * width)));
    out.set(acts[acts.length - 1].subarray(0, classes), r * classes);
  }
  return out;
}

/** Predicted class of each scaled row. */
export function predictRows(kind: HorstModelKind, channels: number, classes: number, weights: readonly LayerWeights[], x: Float32Array, rows: number): Int32Array {
  const scores = scoreRows(kind, channels, classes, weights, x, rows);
  return Int32Array.from({ length: rows }, (_, r) => argmax(scores, r * classes, classes));
}

export async function crossValidate(
  data: HorstData, task: HorstTask, kind: HorstModelKind, schedule: Schedule,
  options: {
    seed: number; runs?: number[]; signal?: AbortSignal; onProgress?(p: { stage: string; fraction: number }): void;
    /** Networks: every validation of every run (learning curves, bench/horst-rule-curves.ts). */
    onEvaluate?(run: number, e: Evaluation): void;
    /** linear-svm only: 'training+validation' fits on every non-test fold, the protocol of the scikit-learn
     * reference figures (k-fold CV without a validation fold); the default is §5.1.5's training folds only. */
    svmFitSet?: 'training' | 'training+validation';
  },
): Promise<HorstExperiment> {
  const C = data.channels.length;
  if (data.x.length !== data.rows * C * SAMPLES) throw new RangeError(`data: ${data.x.length} values for ${data.rows} trials × ${C} channels × ${SAMPLES} points`);
  const labels = labelsFor(data, task);
  const assignment = foldsFor(data, task, options.seed);
  const kept = labels.filter((_, i) => assignment.fold[i] >= 0);
  const classes = [...new Set(kept)].sort(compareSubjectIds);
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const K = classes.length;
  modelPlan(kind, C, K); // refuses an impossible model (e.g. cnn-c3 with C < 6) before any work
  const runIds = options.runs ?? Array.from({ length: assignment.k }, (_, r) => r);
  const y = Int32Array.from(labels, (l) => classIndex.get(l) ?? -1);
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const runs: HorstRun[] = [];
  const positive = positiveClassOf(classes);
  if (task === 'pd' && K !== 2) throw new RangeError(`task pd: needs two groups (PD and control), the data has ${K}: ${classes.join(', ')}`);
  const pooled: { subject: string; truth: string; probability: number }[] = [];
  for (const [index, run] of runIds.entries()) {
    const split = runSplit(assignment, run);
    if (kind === 'linear-svm' && options.svmFitSet === 'training+validation') {
      split.train = [...split.train, ...split.validation].sort((a, b) => a - b);
      split.validation = [];
    }
    const scaling = fitChannelScaling(data.x, split.train, C, SAMPLES);
    const xTrain = applyChannelScaling(data.x, split.train, C, SAMPLES, scaling);
    const xTest = applyChannelScaling(data.x, split.test, C, SAMPLES, scaling);
    const yTrain = Int32Array.from(split.train, (i) => y[i]);
    const report = (fraction: number) => options.onProgress?.({ stage: `${kind}: run ${run + 1} of ${assignment.k}`, fraction: (index + fraction) / runIds.length });
    report(0);
    let weights: LayerWeights[];
    let extra: Partial<HorstRun> = {};
    if (kind === 'linear-svm') {
      // Trained on the training folds only; the validation fold is unused, as in the authors' code (§5.1.5).
      const svm = fitLinearSvm(Float64Array.from(xTrain), split.train.length, C * SAMPLES, yTrain, K, { random: uniformStream(options.seed, 'svm', run), signal: options.signal, onProgress: report });
      weights = [{ weight: svm.weight, bias: svm.bias }];
      extra = { svm: { passes: svm.passes, converged: svm.converged } };
    } else {
      const xVal = applyChannelScaling(data.x, split.validation, C, SAMPLES, scaling);
      const fit = await trainNetwork(modelPlan(kind, C, K), { x: xTrain, y: yTrain }, { x: xVal, y: Int32Array.from(split.validation, (i) => y[i]) }, schedule,
        { seed: options.seed, run }, { signal: options.signal, onProgress: report, onEvaluate: options.onEvaluate && ((e) => options.onEvaluate!(run, e)) });
      weights = fit.weights;
      extra = { phases: fit.phases };
    }
    const scores = scoreRows(kind, C, K, weights, xTest, split.test.length);
    const predicted = Int32Array.from(split.test, (_, t) => argmax(scores, t * K, K));
    // PD vs control: P(PD) of each test row (softmax of its scores; for the SVM, of its decision values).
    if (task === 'pd') split.test.forEach((row, t) => pooled.push({ subject: data.subjects[row], truth: classes[y[row]], probability: softmaxProbability(scores, t * K, K, positive) }));
    let correct = 0;
    split.test.forEach((row, t) => {
      confusion[y[row]][predicted[t]]++;
      if (predicted[t] === y[row]) correct++;
    });
    runs.push({
      run, accuracy: correct / split.test.length, trainTrials: split.train.length, validationTrials: split.validation.length, testTrials: split.test.length,
      weights, scaling, testRows: split.test, predicted: Array.from(predicted), ...extra,
    });
  }
  const perClassRecall = confusion.map((row, k) => {
    const n = row.reduce((a, b) => a + b, 0);
    return n === 0 ? null : row[k] / n;
  });
  const present = perClassRecall.filter((v): v is number => v !== null);
  const balancedAccuracy = present.reduce((a, b) => a + b, 0) / present.length;
  let subjectLevelAccuracy: number | null = null;
  if (task !== 'subject') {
    const votes = new Map<string, { truth: number; counts: number[] }>();
    for (const run of runs) run.testRows.forEach((row, t) => {
      const v = votes.get(data.subjects[row]) ?? { truth: y[row], counts: new Array<number>(K).fill(0) };
      v.counts[run.predicted[t]]++;
      votes.set(data.subjects[row], v);
    });
    let right = 0;
    for (const v of votes.values()) if (v.counts.indexOf(Math.max(...v.counts)) === v.truth) right++;
    subjectLevelAccuracy = right / votes.size;
  }
  const subjectLevel = task === 'pd' ? subjectLevelDecisions(pooled, classes[positive], classes[1 - positive]) : null;
  const accuracies = runs.map((r) => r.accuracy);
  const mean = accuracies.reduce((s, a) => s + a, 0) / accuracies.length;
  const sd = Math.sqrt(accuracies.reduce((s, a) => s + (a - mean) ** 2, 0) / accuracies.length);
  return {
    kind, task, classes, assignment, runs, accuracies, mean, sd, confusion, perClassRecall, balancedAccuracy, subjectLevelAccuracy, subjectLevel,
    protocol: {
      seed: options.seed, k: assignment.k, folds: assignment.algorithm, schedule: kind === 'linear-svm' ? 'liblinear (no schedule)' : schedule.name,
      patience: kind === 'linear-svm' ? null : schedule.patience,
      scalingFitSet: kind === 'linear-svm' && options.svmFitSet === 'training+validation' ? 'training + validation folds' : 'training folds', prng: PRNG_NAME, runsDone: runIds,
    },
  };
}
