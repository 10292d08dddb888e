// SincPD as a training job (issue 15): the walks of a cohort read from the store, the chosen protocol run over
// them (every fold trains its own binary, pruned and, for severity, transferred networks), then the model that is
// stored: trained on all training subjects of the run (subject-10fold: every subject, early stopping on ~10 % of
// them; segment-stratified: the split's training part), with its scaling, task, fold assignment, the protocol's
// metrics (segment and subject level; the leaky label with its shared-subject count) and the filters before and
// after pruning.
import { defineModel, type JsonValue } from '../../../src-shared/methods/contract';
import { defineParams } from '../../../src-shared/methods/params';
import type { ProtocolResult } from '../../../src-shared/methods/sincpd/evaluate-protocol';
import { innerValidationSubjects, segmentStratifiedSplit } from '../../../src-shared/methods/sincpd/protocols';
import { applySegmentScaling, fitSegmentScaling, type SegmentScaling } from '../../../src-shared/methods/sincpd/segment-standardise';
import { withSeverityLabels } from '../../../src-shared/methods/sincpd/segments';
import { SEVERITY_STAGES } from '../../../src-shared/methods/sincpd/walk-labels';
import { InputError } from '../../../src-shared/domain/errors';
import type { DataSelection, DataSpec } from '../../compute/curve-dataset';
import type { StoredState, Trainable } from '../../compute/trainable';
import type { Db } from '../../store/db';
import { readStoredWalksWithSignals, type RawWalk, type SincPdDataset } from './data';
import { predictSincPd, trainSincPd } from './index';
import { SINCPD_CONFIGS, SINCPD_METHOD, SINCPD_TASKS, type SincPdConfigName, type SincPdTaskName } from './seam';
import { sincPdFromStored, sincPdHeadline, sincPdToStored } from './stored';
import { runSincPdProtocol, sincPdFitPredict, sincPdSelectionRecord, type SincPdRunOptions } from './training-run';
import type { SincPdFitted } from './train';
import { parseSincPdTrainOptions } from './train-options';

export interface SincPdJobParams {
  task: SincPdTaskName; config: SincPdConfigName; protocol: string; walks: string;
  epochs: number | null; quick: boolean;
}

export const sincPdParams = defineParams<SincPdJobParams>(SINCPD_METHOD, {
  task: { type: 'choice', description: 'pd (PD vs control) or severity (H&Y 0, 2, 2.5, 3; front end from the pruned binary model)', values: SINCPD_TASKS, default: 'pd' },
  config: { type: 'choice', description: 'sinc layer variant (spec §5.3.2)', values: SINCPD_CONFIGS, default: 'sincnet-gait' },
  protocol: { type: 'choice', description: 'subject-cv (subject-grouped 10 folds, default) or segment (the paper\'s LEAKY split)', values: ['subject-cv', 'subject-10fold', 'segment', 'segment-stratified'], default: 'subject-cv' },
  walks: { type: 'choice', description: 'all walks (default) or usual-only (walk 01)', values: ['all', 'usual-only'], default: 'all' },
  epochs: { type: 'number', description: 'at most this many epochs per stage (default: the spec\'s 1000 with early stopping)', unit: 'epochs', default: null, min: 1, max: 100_000, integer: true, nullable: true },
  quick: { type: 'boolean', description: 'QUICK settings for tests and CI (6 filters per sensor, batch 8); figures labelled QUICK', default: false },
});

/** The walks a SincPD job reads, and the cohort they came from. */
export interface SincPdJobData { cohort: string; walks: RawWalk[] }

export interface SincPdJobState {
  fitted: SincPdFitted;
  scaling: SegmentScaling;
  task: SincPdTaskName;
  quick: boolean;
  /** Set by fit, absent on a restored model (the models table keeps it in the data selection). */
  run?: { data: SincPdDataset; result: ProtocolResult; trainSubjects: string[]; validationSubjects: string[] };
}

/** A job's data: the cohort's walks with the 16 sensor forces (the generic curve loader does not fit walks of any length). */
export function loadSincPdJobData(db: Db, spec: DataSpec, dbName: string): { data: SincPdJobData; selection: DataSelection; describe: string } {
  const walks = readStoredWalksWithSignals(db, spec.cohort);
  if (walks.length === 0) throw new InputError(dbName, null, 'cohort', `cohort "${spec.cohort}" has no walks with the 16 insole sensor forces (L1–L8, R1–R8) that SincPD needs`);
  const channels = [...walks[0].left.map((_, s) => `L${s + 1}`), ...walks[0].right.map((_, s) => `R${s + 1}`)];
  return {
    data: { cohort: spec.cohort, walks },
    selection: {
      cohort: spec.cohort, session: spec.session ?? null, label: 'subject group', channels, points: 1000,
      trials: walks.map((w) => ({ id: w.trialId ?? w.name, sha256: w.sha256 || null, subject: w.subject, label: w.group === 'Pt' ? 'PD' : 'control' })),
    },
    describe: `${walks.length} walks of ${new Set(walks.map((w) => w.subject)).size} subjects (16 insole sensor forces)`,
  };
}

const json = (v: unknown): JsonValue => JSON.parse(JSON.stringify(v)) as JsonValue;

/** The flat figures of the models table and the headline: subject level where subjects were held out, else the LEAKY segment level. */
function headlineMetrics(r: ProtocolResult, fitted: SincPdFitted, quick: boolean): Record<string, number> {
  const level = r.subject ?? r.segment;
  const m: Record<string, number> = { leaky: r.label ? 1 : 0, quick: quick ? 1 : 0, folds: r.folds.length };
  if (level.binary) {
    m.accuracy = level.binary.accuracy;
    m.balancedAccuracy = level.binary.balancedAccuracy;
    if (level.binary.auc != null) m.auc = level.binary.auc;
  } else if (level.multiclass) {
    m.accuracy = level.multiclass.accuracy;
    m.f1Weighted = level.multiclass.f1Weighted;
  }
  if (r.segment.binary) m.segmentAccuracy = r.segment.binary.accuracy;
  if (r.segment.multiclass) m.segmentAccuracy = r.segment.multiclass.accuracy;
  if (r.sharedSubjects !== undefined) m.sharedSubjects = r.sharedSubjects;
  if (r.severityScore) m.spearmanAll = r.severityScore.all.rho;
  const last = fitted.stages[fitted.stages.length - 1];
  m.validationAccuracy = last.bestValidationAccuracy;
  m.filtersBefore = fitted.stages[0].filtersPerSensor.reduce((a, b) => a + b, 0);
  m.filtersAfter = last.filtersPerSensor.reduce((a, b) => a + b, 0);
  return m;
}

export const sincPdMethod = defineModel<SincPdJobParams, SincPdJobData, Float32Array, Float64Array, SincPdJobState>({
  name: SINCPD_METHOD,
  version: '1.0.0',
  role: 'classifier',
  description: 'SincPD (Salimi-Badr et al. 2024): PD vs control and H&Y severity from insole forces with learnable sinc filters, pruned by clustering',
  params: sincPdParams,
  async fit(data, p, { seed, options }) {
    const parsed = parseSincPdTrainOptions({ task: p.task, config: p.config, protocol: p.protocol, walks: p.walks });
    if ('error' in parsed) throw new RangeError(parsed.error);
    const o: SincPdRunOptions = { task: parsed.task, config: parsed.config, protocol: parsed.protocol, walks: parsed.walks, seed, quick: p.quick, ...(p.epochs ? { epochs: p.epochs } : {}) };
    const impl = { trainSincPd, predictSincPd };
    // The protocol takes most of the time (one training per fold); the final model the rest (about one fold's worth).
    const share = parsed.protocol === 'subject-10fold' ? 10 / 11 : 1 / 2;
    const { data: ds, result } = await runSincPdProtocol(data.walks, o, sincPdFitPredict(impl, o), {
      signal: options.signal, onProgress: (q) => options.onProgress?.({ fraction: q.fraction * share, stage: q.stage }),
    });
    // The stored model: trained on all training subjects of the run.
    const set = o.task === 'severity' ? withSeverityLabels(ds.set) : ds.set;
    const y = Int32Array.from(set.meta, (m) => (o.task === 'pd' ? m.pd : m.severity!));
    const subjects = set.meta.map((m) => m.subject);
    let train: number[], validation: number[];
    if (parsed.protocol === 'segment-stratified') {
      const s = segmentStratifiedSplit(y, subjects, seed);
      ({ train, validation } = s);
    } else {
      const inner = innerValidationSubjects(set.meta.map((m, i) => ({ subject: m.subject, stratum: y[i] })), 0.1, seed + 2000);
      train = subjects.flatMap((s, i) => (inner.has(s) ? [] : [i]));
      validation = subjects.flatMap((s, i) => (inner.has(s) ? [i] : []));
    }
    const scaling = fitSegmentScaling(set.x, train);
    const final = await trainSincPd({
      x: applySegmentScaling(set.x, train, scaling), y: Int32Array.from(train, (i) => y[i]),
      validX: applySegmentScaling(set.x, validation, scaling), validY: Int32Array.from(validation, (i) => y[i]),
      classes: o.task === 'pd' ? 2 : SEVERITY_STAGES.length, fold: -1,
    }, { task: o.task, profile: o.config, epochs: o.epochs, seed: seed + 5000, quick: p.quick }, {
      signal: options.signal, onProgress: (q) => options.onProgress?.({ fraction: share + q.fraction * (1 - share), stage: `final model: ${q.stage}` }),
    });
    const trainSubjects = new Set(train.map((i) => subjects[i]));
    const state: SincPdJobState = {
      fitted: final.fitted, scaling, task: o.task, quick: p.quick,
      // Held-out subjects only: the segment split's validation rows share their subjects with training.
      run: { data: ds, result, trainSubjects: [...trainSubjects], validationSubjects: [...new Set(validation.map((i) => subjects[i]))].filter((s) => !trainSubjects.has(s)) },
    };
    const metrics = headlineMetrics(result, final.fitted, p.quick);
    const summary: { [key: string]: JsonValue } = {
      ...(p.quick ? { settings: 'QUICK (tests/CI): not the method\'s figures' } : {}),
      protocol: result.protocol, task: result.task, ...(result.label ? { label: result.label, sharedSubjects: result.sharedSubjects ?? null } : {}),
      segment: json(result.segment), subject: json(result.subject), acrossFolds: json(result.acrossFolds), severityScore: json(result.severityScore ?? null),
      folds: json(result.folds.map((f) => ({ fold: f.fold, trainSegments: f.trainSegments, validSegments: f.validSegments, testSegments: f.testSegments, testSubjects: f.testSubjects, segment: f.segment, subject: f.subject }))),
      classRatio: json(result.classRatio),
      filters: json(final.fitted.stages.map((s) => ({ stage: s.stage, filtersPerSensor: s.filtersPerSensor, parameters: s.parameters, epochsRun: s.epochsRun, bestEpoch: s.bestEpoch }))),
      duplicates: json(ds.duplicates), severityExcluded: json(ds.severityExcluded), warnings: json(ds.warnings),
    };
    return { state, metrics, summary };
  },
  async predict(fitted, x) {
    return { output: await predictSincPd({ kind: 'sincpd', task: fitted.state.task, fitted: fitted.state.fitted } as Parameters<typeof predictSincPd>[0], x) };
  },
});

export const sincPdTrainable: Trainable<SincPdJobState, SincPdJobData> = {
  method: sincPdMethod,
  headline: (m) => `${m.quick === 1 ? 'QUICK settings: ' : ''}${sincPdHeadline(m)}; filters ${m.filtersBefore} → ${m.filtersAfter} after pruning`,
  toStored(s): StoredState {
    const stored = sincPdToStored({ fitted: s.fitted, standardisation: { mean: s.scaling.mean, sd: s.scaling.sd, fittedOn: `${s.scaling.fittedOn} training segments of the final model` } });
    // What predict reads: the scaling and the task (sincpd-service.ts).
    return { ...stored, preprocessing: { ...stored.preprocessing, scaling: { mean: s.scaling.mean, sd: s.scaling.sd }, task: s.task, quick: s.quick } };
  },
  fromStored(s) {
    const st = sincPdFromStored(s);
    return { fitted: st.fitted, scaling: { mean: st.standardisation.mean, sd: st.standardisation.sd, fittedOn: 0 }, task: s.preprocessing.task === 'severity' ? 'severity' : 'pd', quick: s.preprocessing.quick === true };
  },
  selectionExtras(s) {
    if (!s.run) return {};
    return {
      sincpd: json(sincPdSelectionRecord(s.run.data, s.run.result)),
      finalModel: { trainSubjects: s.run.trainSubjects, validationSubjects: s.run.validationSubjects, scaling: { mean: s.scaling.mean, sd: s.scaling.sd, fittedOn: s.scaling.fittedOn } },
    };
  },
};
