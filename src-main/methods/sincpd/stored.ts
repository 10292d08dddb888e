// How a SincPD model is stored in the models table and read back: every network of the run (binary, pruned
// binary, severity) with all its weights, the band parameters included, as float32 tensors `<stage>/<layer>/<weight>`;
// the architecture of each network, the configuration, the stage reports (filters and parameter counts before and
// after pruning, training curves), the pruning (silhouette curves, k per sensor) and the band tests in JSON.
// The standardisation (μ, σ of the training segments) and the data selection come from the caller (the data
// side), which also registers the Trainable in compute/trainable.ts once its CurveDataset seam exists.
import type { StoredState } from '../../compute/trainable';
import type { BackendRecord } from '../../compute/tfjs/backend';
import { explainSincPd, type ExplainInput, type Explanation } from '../../../src-shared/methods/sincpd/explain';
import type { SensorPruning } from '../../../src-shared/methods/sincpd/pruning';
import type { SincPdArchitecture } from './model';
import { sincWeightNames } from './sinc-layer';
import type { FilterBand, SincPdConfig, SincPdFitted, StageReport, StoredNet } from './train';

export const SINCPD_NAME = 'sincpd';

/** A fitted SincPD with what predict needs besides the weights: the scalar standardisation of §5.3.1.7. */
export interface SincPdState {
  fitted: SincPdFitted;
  standardisation: { mean: number; sd: number; fittedOn: string };
}

export function sincPdToStored(s: SincPdState): StoredState {
  const f = s.fitted;
  return {
    architecture: {
      type: 'SincPD (Salimi-Badr et al. 2024)', task: f.config.task, profile: f.config.profile, config: { ...f.config },
      nets: f.nets.map((n) => ({ stage: n.stage, architecture: n.net.architecture, weights: n.net.weights.map((w) => ({ name: w.name, shape: w.shape })) })),
      stages: f.stages, pruning: f.pruning, bandsAtInit: f.bandsAtInit, bandsAfterTraining: f.bandsAfterTraining, backend: f.backend,
    },
    preprocessing: {
      kind: 'one scalar μ and population σ over all values of the training segments (spec §5.3.1.7)', ...s.standardisation,
      input: 'segments [8 sensors (L_s − R_s, N), 1000 samples at 100 Hz], sensor-major',
    },
    tensors: f.nets.flatMap((n) => n.net.weights.map((w) => ({ name: `${n.stage}/${w.name}`, shape: w.shape, values: w.values }))),
  };
}

type StoredInput = { architecture: Record<string, unknown>; preprocessing: Record<string, unknown>; tensors: Map<string, Float32Array> };

export function sincPdFromStored({ architecture: a, preprocessing: p, tensors }: StoredInput): SincPdState {
  if (a.type !== 'SincPD (Salimi-Badr et al. 2024)') throw new Error(`the stored model is not a SincPD model (architecture type ${String(a.type)})`);
  const nets = (a.nets as { stage: StageReport['stage']; architecture: SincPdArchitecture; weights: { name: string; shape: number[] }[] }[]).map((n): { stage: StageReport['stage']; net: StoredNet } => ({
    stage: n.stage,
    net: {
      architecture: n.architecture,
      weights: n.weights.map(({ name, shape }) => {
        const values = tensors.get(`${n.stage}/${name}`);
        if (!values) throw new Error(`the stored SincPD model has no tensor "${n.stage}/${name}"`);
        return { name, shape, values };
      }),
    },
  }));
  return {
    fitted: {
      config: a.config as SincPdConfig, nets, stages: a.stages as StageReport[], pruning: a.pruning as SensorPruning[] | null,
      bandsAtInit: a.bandsAtInit as FilterBand[], bandsAfterTraining: a.bandsAfterTraining as FilterBand[], backend: a.backend as BackendRecord,
    },
    standardisation: { mean: Number(p.mean), sd: Number(p.sd), fittedOn: String(p.fittedOn) },
  };
}

/**
 * The job log's line: the evaluation's figure with its protocol where the caller computed one (subject-level
 * accuracy and AUC; the leaky segment protocol labelled as such), else the final network's best validation accuracy.
 */
export function sincPdHeadline(m: Record<string, number>): string {
  if (Number.isFinite(m.accuracy)) {
    const auc = Number.isFinite(m.auc) ? `, AUC ${m.auc.toFixed(3)}` : '';
    const label = m.leaky === 1 ? 'LEAKY: subjects shared between train and test; segment-level' : 'subject-level, subject-grouped CV';
    return `${label} accuracy ${(m.accuracy * 100).toFixed(1)} %${auc}`;
  }
  return `validation accuracy ${(m.validationAccuracy * 100).toFixed(1)} % (early-stopping data, not a test figure)`;
}

/**
 * The explanation of §5.3.6 from a fitted model: the filter bank of its pruned binary network (the front end the
 * severity model shares; the unpruned one where pruning was off), on held-out standardised segments.
 */
export function explainFitted(fitted: Pick<SincPdFitted, 'nets' | 'config'>, input: Omit<ExplainInput, 'spec'>): Explanation {
  const entry = fitted.nets.find((n) => n.stage === 'binary-pruned') ?? fitted.nets.find((n) => n.stage === 'binary');
  if (!entry) throw new Error('SincPD explain: the model has no binary network');
  const a = entry.net.architecture;
  const [n1, n2] = sincWeightNames(a.profile);
  const weight = (name: string) => {
    const w = entry.net.weights.find((x) => x.name === name);
    if (!w) throw new Error(`SincPD explain: the model has no tensor "${name}"`);
    return w.values;
  };
  const bank = a.filtersPerSensor.map((_, s) => ({ w1: weight(`sinc_s${s + 1}/${n1}`), w2: weight(`sinc_s${s + 1}/${n2}`) }));
  return explainSincPd({ ...input, spec: { profile: a.profile, fs: a.fs, kernelLength: a.kernelLength, stride: a.stride, bank } });
}
