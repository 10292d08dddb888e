// The Horst et al. 2019 classifiers as one model method (spec §1, §5.1): `fit` runs the whole k-run experiment
// of a model kind on a task (folds of §5.1.3 shared by every model of the seed, scaling per run on its training
// folds, §5.1.12 metrics), so that its stored state holds every run's weights and scaling, and each trial can be
// explained by the model of the run in which it was a test trial (one map per trial, §1.5).
import { defineModel, type JsonValue } from '../../../src-shared/methods/contract';
import { defineParams } from '../../../src-shared/methods/params';
import { HORST_MODEL_KINDS, type HorstModelKind, type LayerWeights } from '../../../src-shared/methods/horst/architectures';
import type { ChannelScaling } from '../../../src-shared/methods/horst/scaling';
import { scheduleNamed, type ScheduleName } from '../../../src-shared/methods/horst/schedule';
import type { CurveDataset } from '../logreg/state';
import { crossValidate, type HorstExperiment, type HorstTask } from './cross-validate';

export const HORST_NAME = 'Horst';

export interface HorstParams { model: HorstModelKind; task: 'subject' | 'class' | 'pd'; schedule: ScheduleName }

export const horstParams = defineParams<HorstParams>(HORST_NAME, {
  model: { type: 'choice', description: 'model kind (spec §1.3)', values: HORST_MODEL_KINDS, default: 'linear-svm' },
  task: {
    type: 'choice', values: ['subject', 'class', 'pd'], default: 'subject',
    description: 'subject identification (Algorithm T; T-block on cycles of continuous walks), impairment class (Algorithm G, subject-grouped) or PD vs control (Algorithm G, k = 10, decided per subject)',
  },
  schedule: { type: 'choice', description: 'training schedule: paper (default) or smoke (CI; its figures are labelled smoke)', values: ['paper', 'smoke'], default: 'paper' },
});

export interface HorstState {
  kind: HorstModelKind;
  task: HorstTask;
  channels: string[];
  classes: string[];
  k: number;
  foldAlgorithm: string;
  /** Fold of each data row (−1: excluded subject). */
  fold: Int32Array;
  runs: { run: number; accuracy: number; weights: LayerWeights[]; scaling: ChannelScaling }[];
  experiment: Omit<HorstExperiment, 'runs' | 'assignment'>;
}

export const horstClassifier = defineModel<HorstParams, CurveDataset, CurveDataset, { accuracies: number[] }, HorstState>({
  name: HORST_NAME,
  version: '1.0.0',
  role: 'classifier',
  description: 'Horst et al. 2019 gait classifiers (linear, SVM, MLP, CNN) over k runs, explained by LRP',
  params: horstParams,
  async fit(data, p, { seed, options }) {
    const experiment = await crossValidate(
      { x: data.x, rows: data.rows, channels: data.channels, subjects: data.subjects, groups: data.labels, continuousWalks: data.continuousWalks === true },
      p.task, p.model, scheduleNamed(p.schedule), { seed, signal: options.signal, onProgress: options.onProgress },
    );
    const { runs, assignment, ...rest } = experiment;
    const state: HorstState = {
      kind: p.model, task: p.task, channels: data.channels, classes: experiment.classes, k: assignment.k, foldAlgorithm: assignment.algorithm,
      fold: assignment.fold, runs: runs.map((r) => ({ run: r.run, accuracy: r.accuracy, weights: r.weights, scaling: r.scaling })), experiment: rest,
    };
    const metrics = { meanAccuracy: experiment.mean, sdAccuracy: experiment.sd, runs: runs.length, k: assignment.k };
    const summary: { [key: string]: JsonValue } = {
      accuracies: experiment.accuracies, meanAccuracy: experiment.mean, sdAccuracy: experiment.sd, confusion: experiment.confusion,
      perClassRecall: experiment.perClassRecall, balancedAccuracy: experiment.balancedAccuracy, subjectLevelAccuracy: experiment.subjectLevelAccuracy,
      subjectLevel: experiment.subjectLevel as unknown as JsonValue,
      classes: experiment.classes, protocol: experiment.protocol as unknown as JsonValue,
      excludedSubjects: assignment.excludedSubjects,
      schedule: experiment.protocol.schedule,
      svm: runs.every((r) => r.svm) ? runs.map((r) => ({ maxPasses: Math.max(...r.svm!.passes), converged: r.svm!.converged.every(Boolean) })) : null,
      phases: runs.every((r) => r.phases) ? runs.map((r) => r.phases!.map((ph) => ({ learningRate: ph.learningRate, iterations: ph.iterations, bestIteration: ph.bestIteration, bestL1: ph.bestL1, stoppedEarly: ph.stoppedEarly }))) : null,
    };
    return { state, metrics, summary };
  },
  async predict(fitted) {
    return { output: { accuracies: fitted.state.runs.map((r) => r.accuracy) }, summary: { meanAccuracy: fitted.state.experiment.mean } };
  },
});
