// The evaluation runner (methods-spec §5.3.3–5.3.4), generic over the model: `fitPredict` gets standardised
// training, validation and test segments (n × 8 × 1000) and returns class probabilities of the test segments, so
// the SincPD networks and a quick baseline are evaluated by exactly the same protocol code.
import { binaryMetrics, multiclassMetrics, spearmanBootstrap, type BinaryMetrics, type MulticlassMetrics, type SpearmanWithCi } from './metrics';
import { innerValidationSubjects, LEAKY_LABEL, segmentStratifiedSplit, subjectFolds, type FoldAssignment, type SincPdProtocol } from './protocols';
import { applySegmentScaling, fitSegmentScaling, type SegmentScaling } from './segment-standardise';
import type { SegmentSet } from './segments';
import { expectedStage, meanByGroup } from './severity-score';
import { SEVERITY_STAGES } from './walk-labels';
import { seededRandom } from '../../random';

export type SincPdTask = 'pd' | 'severity';

export interface FitPredictInput {
  trainX: Float32Array; trainY: Int32Array;
  /** Subject of each training segment (for models that split further by subject). */
  trainSubjects: string[];
  validX: Float32Array; validY: Int32Array;
  testX: Float32Array;
  classes: number;
  fold: number;
  signal?: AbortSignal;
  onProgress?(fraction: number, stage: string): void;
}
/** Class probabilities of the test segments, rows × classes (pd: column 1 = P(PD)). */
export type FitPredict = (input: FitPredictInput) => Promise<Float64Array>;

export interface EvaluateOptions {
  task: SincPdTask;
  seed: number;
  folds?: number;
  /** Only these folds are run (a long evaluation spread over several runs); the pooled figures cover them only. */
  runFolds?: readonly number[];
  signal?: AbortSignal;
  onProgress?(p: { fraction: number; stage: string }): void;
}

export interface LevelMetrics { binary?: BinaryMetrics; multiclass?: MulticlassMetrics }
export interface FoldResult { fold: number; trainSegments: number; validSegments: number; testSegments: number; testSubjects: number; scaling: SegmentScaling; segment: LevelMetrics; subject: LevelMetrics }
export interface SubjectPrediction { subject: string; truth: number; probabilities: number[]; predicted: number; segments: number; fold: number; score?: number }

export interface ProtocolResult {
  protocol: SincPdProtocol;
  task: SincPdTask;
  seed: number;
  /** Set on segment-stratified results: every figure of it must be printed with this label. */
  label?: typeof LEAKY_LABEL;
  /** Test subjects that also have training segments (segment-stratified). */
  sharedSubjects?: number;
  foldAssignment?: FoldAssignment;
  folds: FoldResult[];
  /** Pooled out-of-fold (or test) predictions. */
  segment: LevelMetrics;
  subject: LevelMetrics | null;
  /** Mean ± SD across folds of the headline figures (subject level where there are folds). */
  acrossFolds: Record<string, { mean: number; sd: number }>;
  subjects: SubjectPrediction[];
  /** Severity: Spearman ρ of the expected stage against the clinical H&Y, all subjects and PD only (§5.3.4). */
  severityScore?: { all: SpearmanWithCi; pdOnly: SpearmanWithCi };
  classRatio: Record<string, number>;
}

function labelsOf(set: SegmentSet, task: SincPdTask): Int32Array {
  const missing = [...new Set(set.meta.filter((m) => task === 'severity' && m.severity == null).map((m) => m.subject))];
  if (missing.length) throw new RangeError(`severity labels are missing for ${missing.length} subject(s): ${missing.join(', ')}`);
  return Int32Array.from(set.meta, (m) => (task === 'pd' ? m.pd : m.severity!));
}

function argmax(p: ArrayLike<number>, offset: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (p[offset + c] > p[offset + best]) best = c;
  return best;
}

function levelMetrics(task: SincPdTask, truth: Int32Array, probs: Float64Array, k: number): LevelMetrics {
  if (task === 'pd') return { binary: binaryMetrics(truth, Float64Array.from(truth, (_, i) => probs[i * k + 1])) };
  return { multiclass: multiclassMetrics(truth, Int32Array.from(truth, (_, i) => argmax(probs, i * k, k)), k) };
}

/** Per-subject decision from the mean of its segments' probability vectors (§5.3.3 item 2). */
function subjectLevel(task: SincPdTask, subjects: string[], truth: Int32Array, probs: Float64Array, k: number, folds: number[]): SubjectPrediction[] {
  const order = [...new Set(subjects)];
  return order.map((s) => {
    const rows = subjects.flatMap((v, i) => (v === s ? [i] : []));
    const mean = Array.from({ length: k }, (_, c) => rows.reduce((a, r) => a + probs[r * k + c], 0) / rows.length);
    const predicted = task === 'pd' ? (mean[1] >= 0.5 ? 1 : 0) : argmax(mean, 0, k);
    const out: SubjectPrediction = { subject: s, truth: truth[rows[0]], probabilities: mean, predicted, segments: rows.length, fold: folds[rows[0]] };
    if (task === 'severity') {
      // Per subject, the mean over segments of ĥ (§5.3.4); ĥ is linear, so it is ĥ of the mean vector.
      out.score = meanByGroup(expectedStage(rows.flatMap((r) => Array.from(probs.subarray(r * k, (r + 1) * k))), rows.length), rows.map(() => s)).means[0];
    }
    return out;
  });
}

function meanSd(values: number[]): { mean: number; sd: number } {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const v = values.length > 1 ? values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1) : 0;
  return { mean: m, sd: Math.sqrt(v) };
}

function headline(l: LevelMetrics): Record<string, number> {
  if (l.binary) {
    const b = l.binary;
    const h: Record<string, number> = { accuracy: b.accuracy, balancedAccuracy: b.balancedAccuracy, f1: b.f1, recall: b.recall, specificity: b.specificity };
    if (b.auc != null) h.auc = b.auc;
    return h;
  }
  const m = l.multiclass!;
  return { accuracy: m.accuracy, f1Weighted: m.f1Weighted, f1Macro: m.f1Macro };
}

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
}

/** Runs `protocol` over `set` (duplicates already removed) with `fitPredict` as the model. */
export async function evaluateProtocol(set: SegmentSet, protocol: SincPdProtocol, fitPredict: FitPredict, o: EvaluateOptions): Promise<ProtocolResult> {
  const y = labelsOf(set, o.task);
  const k = o.task === 'pd' ? 2 : SEVERITY_STAGES.length;
  const subjects = set.meta.map((m) => m.subject);
  const classRatio: Record<string, number> = {};
  for (const v of y) classRatio[String(v)] = (classRatio[String(v)] ?? 0) + 1;
  const plans: { fold: number; train: number[]; validation: number[]; test: number[] }[] = [];
  let foldAssignment: FoldAssignment | undefined;
  let sharedSubjects: number | undefined;
  if (protocol === 'segment-stratified') {
    const s = segmentStratifiedSplit(y, subjects, o.seed);
    sharedSubjects = s.sharedSubjects;
    plans.push({ fold: 0, train: s.train, validation: s.validation, test: s.test });
  } else {
    const strata = set.meta.map((m, i) => ({ subject: m.subject, stratum: y[i] }));
    foldAssignment = subjectFolds(strata, o.folds ?? 10, o.seed);
    for (let f = 0; f < foldAssignment.folds; f++) {
      const test = subjects.flatMap((s, i) => (foldAssignment!.subjectFold[s] === f ? [i] : []));
      const trainAll = subjects.flatMap((s, i) => (foldAssignment!.subjectFold[s] !== f ? [i] : []));
      const inner = innerValidationSubjects(trainAll.map((i) => strata[i]), 0.1, o.seed + 1000 + f);
      plans.push({ fold: f, train: trainAll.filter((i) => !inner.has(subjects[i])), validation: trainAll.filter((i) => inner.has(subjects[i])), test });
    }
  }
  const oofProbs = new Float64Array(y.length * k);
  const tested = new Uint8Array(y.length);
  const foldOf = new Array<number>(y.length).fill(-1);
  const folds: FoldResult[] = [];
  for (const [p, plan] of plans.entries()) {
    stopIfAborted(o.signal);
    if (plan.test.length === 0 || (o.runFolds && !o.runFolds.includes(plan.fold))) continue;
    const scaling = fitSegmentScaling(set.x, plan.train);
    const probs = await fitPredict({
      trainX: applySegmentScaling(set.x, plan.train, scaling), trainY: Int32Array.from(plan.train, (i) => y[i]), trainSubjects: plan.train.map((i) => subjects[i]),
      validX: applySegmentScaling(set.x, plan.validation, scaling), validY: Int32Array.from(plan.validation, (i) => y[i]),
      testX: applySegmentScaling(set.x, plan.test, scaling), classes: k, fold: plan.fold, signal: o.signal,
      onProgress: (fr, stage) => o.onProgress?.({ fraction: (p + fr) / plans.length, stage: `fold ${plan.fold + 1}/${plans.length}: ${stage}` }),
    });
    if (probs.length !== plan.test.length * k) throw new RangeError(`fitPredict returned ${probs.length} values for ${plan.test.length} test segments × ${k} classes`);
    plan.test.forEach((r, i) => { oofProbs.set(probs.subarray(i * k, (i + 1) * k), r * k); tested[r] = 1; foldOf[r] = plan.fold; });
    const ty = Int32Array.from(plan.test, (i) => y[i]);
    const tSubjects = plan.test.map((i) => subjects[i]);
    const subj = subjectLevel(o.task, tSubjects, ty, probs, k, plan.test.map(() => plan.fold));
    folds.push({
      fold: plan.fold, trainSegments: plan.train.length, validSegments: plan.validation.length, testSegments: plan.test.length, testSubjects: subj.length, scaling,
      segment: levelMetrics(o.task, ty, probs, k),
      subject: levelMetrics(o.task, Int32Array.from(subj, (s) => s.truth), Float64Array.from(subj.flatMap((s) => s.probabilities)), k),
    });
    o.onProgress?.({ fraction: (p + 1) / plans.length, stage: `fold ${plan.fold + 1}/${plans.length} done` });
  }
  const rows = Array.from({ length: y.length }, (_, i) => i).filter((i) => tested[i]);
  const py = Int32Array.from(rows, (i) => y[i]);
  const pp = rowsOfProbs(oofProbs, rows, k);
  const subjectsOut = subjectLevel(o.task, rows.map((i) => subjects[i]), py, pp, k, rows.map((i) => foldOf[i]));
  // Subject-level figures mean something only where no subject was on both sides.
  const subject = protocol === 'subject-10fold' ? levelMetrics(o.task, Int32Array.from(subjectsOut, (s) => s.truth), Float64Array.from(subjectsOut.flatMap((s) => s.probabilities)), k) : null;
  const perFold = folds.map((f) => headline(protocol === 'subject-10fold' ? f.subject : f.segment));
  const acrossFolds: Record<string, { mean: number; sd: number }> = {};
  for (const key of Object.keys(perFold[0] ?? {})) {
    const v = perFold.map((h) => h[key]).filter((x) => x !== undefined);
    acrossFolds[key] = meanSd(v);
  }
  const result: ProtocolResult = { protocol, task: o.task, seed: o.seed, folds, segment: levelMetrics(o.task, py, pp, k), subject, acrossFolds, subjects: subjectsOut, classRatio };
  if (foldAssignment) result.foldAssignment = foldAssignment;
  if (protocol === 'segment-stratified') { result.label = LEAKY_LABEL; result.sharedSubjects = sharedSubjects; }
  if (o.task === 'severity' && protocol === 'subject-10fold') {
    const stage = (s: SubjectPrediction) => SEVERITY_STAGES[s.truth];
    const pd = subjectsOut.filter((s) => s.truth > 0);
    result.severityScore = {
      all: spearmanBootstrap(subjectsOut.map(stage), subjectsOut.map((s) => s.score!), seededRandom(o.seed), 2000, o.seed),
      pdOnly: spearmanBootstrap(pd.map(stage), pd.map((s) => s.score!), seededRandom(o.seed + 1), 2000, o.seed + 1),
    };
  }
  return result;
}

function rowsOfProbs(p: Float64Array, rows: number[], k: number): Float64Array {
  const out = new Float64Array(rows.length * k);
  rows.forEach((r, i) => out.set(p.subarray(r * k, (r + 1) * k), i * k));
  return out;
}
