// How a Horst experiment is stored in the models table and read back: every run's weights as float32 tensors
// `run<r>.layer<l>.weight|bias` (dense [in][out], conv [kh][kw][d][f]); the per-run scaling constants (§5.1.2)
// and the fold of each trial in JSON (preprocessing and data selection), so every trial can be re-scaled and
// explained by the run in which it was a test trial.
import type { StoredState, Trainable } from '../../compute/trainable';
import { affineLayers, modelPlan, type HorstModelKind } from '../../../src-shared/methods/horst/architectures';
import { loadCurveDataset } from '../../compute/curve-dataset';
import { isInsoleCohort, loadInsoleCycleDataset } from '../../compute/insole-cycle-dataset';
import { horstClassifier, type HorstState } from './index';

export const horstTrainable: Trainable<HorstState> = {
  method: horstClassifier,
  // Stored curves (the clinical GRF set), or the gait cycles of insole walks (gaitpdb, §5.1.3 b), one row per cycle.
  loadData: (db, spec, dbName) => (isInsoleCohort(db, spec) ? loadInsoleCycleDataset(db, spec, dbName) : loadCurveDataset(db, spec, dbName)),
  toStored(s): StoredState {
    const plan = modelPlan(s.kind, s.channels.length, s.classes.length);
    const shapes = affineLayers(plan).map((l) => (l.kind === 'dense' ? [[l.inputs, l.units], [l.units]] : [[l.kernel[0], l.kernel[1], l.input[2], l.filters], [l.filters]]));
    return {
      architecture: { type: 'Horst 2019', kind: s.kind, task: s.task, channels: s.channels, classes: s.classes, layers: plan.layers, params: plan.params },
      preprocessing: {
        kind: 'per-channel min–max to [−1, 1] (spec §5.1.2)', fittedOn: 'training folds of each run',
        runs: s.runs.map((r) => ({ run: r.run, accuracy: r.accuracy, min: Array.from(r.scaling.min), max: Array.from(r.scaling.max) })),
        folds: { algorithm: s.foldAlgorithm, k: s.k }, experiment: s.experiment,
      },
      tensors: s.runs.flatMap((r) => r.weights.flatMap((w, l) => [
        { name: `run${r.run}.layer${l}.weight`, shape: shapes[l][0], values: Float32Array.from(w.weight) },
        { name: `run${r.run}.layer${l}.bias`, shape: shapes[l][1], values: Float32Array.from(w.bias) },
      ])),
    };
  },
  fromStored({ architecture: a, preprocessing: p, tensors }): HorstState {
    const kind = a.kind as HorstModelKind;
    const channels = a.channels as string[];
    const classes = a.classes as string[];
    const layers = affineLayers(modelPlan(kind, channels.length, classes.length)).length;
    const runs = (p.runs as { run: number; accuracy: number; min: number[]; max: number[] }[]).map((r) => ({
      run: r.run, accuracy: r.accuracy, scaling: { min: Float64Array.from(r.min), max: Float64Array.from(r.max) },
      weights: Array.from({ length: layers }, (_, l) => {
        const t = (name: string) => {
          const v = tensors.get(`run${r.run}.layer${l}.${name}`);
          if (!v) throw new Error(`the stored model has no tensor "run${r.run}.layer${l}.${name}"`);
          return Float64Array.from(v);
        };
        return { weight: t('weight'), bias: t('bias') };
      }),
    }));
    const folds = p.folds as { algorithm: string; k: number };
    return { kind, task: a.task as HorstState['task'], channels, classes, k: folds.k, foldAlgorithm: folds.algorithm, fold: new Int32Array(0), runs, experiment: p.experiment as HorstState['experiment'] };
  },
  selectionExtras: (s, ids) => ({ folds: { algorithm: s.foldAlgorithm, k: s.k, byTrial: Object.fromEntries(ids.map((id, r) => [id, s.fold[r]])) } }),
  headline: (m) => `accuracy ${(m.meanAccuracy * 100).toFixed(1)} ± ${(m.sdAccuracy * 100).toFixed(1)} % over ${m.runs} runs`,
};
