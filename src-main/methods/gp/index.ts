// The hierarchical heteroscedastic GP (methods-spec §4, §5.4) as a model method trained as a job: `fit` groups
// the cohort's cycles into leaves (group → individual → limb), splits them into training and held-out points
// (HG-2, the job's seed), fits the four-level hierarchy on the cell statistics (HG-9) and scores each group's
// pooled predictive on the held-out points (NMSE, MSLL, §5.4.9). The numerics are src-shared/gp.
import { defineModel, type JsonValue } from '../../../src-shared/methods/contract';
import { defineParams } from '../../../src-shared/methods/params';
import { addCycle, emptyCellStats, observationCount } from '../../../src-shared/gp/cell-stats';
import { fitHierarchyAsync } from '../../../src-shared/gp/fit';
import { nmseAndMsll } from '../../../src-shared/gp/metrics';
import { pooledPredictive, predict, type FittedGp } from '../../../src-shared/gp/predict';
import { gpRunRecord, type GpRunRecord } from '../../../src-shared/gp/run-record';
import { splitCycles } from '../../../src-shared/gp/split';
import type { LeafKey } from '../../../src-shared/gp/structure';
import type { CurveDataset } from '../logreg/state';

export const GP_NAME = 'HierarchicalGP';
export const GP_LEVELS = 'population,group,individual,limb';

export interface GpParams {
  levels: string;
  noise: 'hetero' | 'homo';
  m: number;
  tieLevels: boolean;
  optimizeZ: boolean;
  maxIterations: number;
  split: 'point' | 'cycle';
  testFraction: number;
}

export const gpParams = defineParams<GpParams>(GP_NAME, {
  levels: { type: 'choice', description: 'levels of the hierarchy, top down (HG-5: the four-level tree)', values: [GP_LEVELS], default: GP_LEVELS },
  noise: { type: 'choice', description: 'heteroscedastic log-noise per limb around a group curve, or one noise variance per limb', values: ['hetero', 'homo'], default: 'hetero' },
  m: { type: 'number', description: 'inducing inputs shared by every node (HG-7)', unit: '', default: 100, min: 2, max: 200, integer: true },
  tieLevels: { type: 'boolean', description: 'one kernel pair per level instead of per node (HG-4)', default: false },
  optimizeZ: { type: 'boolean', description: 'release the inducing inputs in a guarded second phase (HG-13a)', default: true },
  maxIterations: { type: 'number', description: 'iteration cap per phase (HG-13b)', unit: '', default: 20000, min: 1, max: 20000, integer: true },
  split: { type: 'choice', description: 'held-out points drawn per sample (the paper) or as whole cycles (HG-2)', values: ['point', 'cycle'], default: 'point' },
  testFraction: { type: 'number', description: 'share of the points (or cycles) held out', unit: '', default: 0.3, min: 0.05, max: 0.5 },
});

/** Cycles of one signal: one row per time-normalised cycle, with its subject's group, the subject and the limb. */
export interface GpCycleDataset extends CurveDataset {
  /** 'L' or 'R' per row. */
  limbs: string[];
  /** Trial of each row (the data selection records which leaf each trial fed). */
  trials: string[];
}

export interface GpState {
  fitted: FittedGp;
  leaves: LeafKey[];
  /** Training observations per leaf: the weights of the pooled predictives (HG-21). */
  leafObservations: number[];
  record: GpRunRecord;
  params: GpParams;
  channels: string[];
  /** Per group: held-out NMSE (%) and MSLL of its pooled predictive, and the points scored. */
  heldOut: { group: string; nmse: number; msll: number; points: number }[];
  fitSeconds: number;
}

/** Leaves in order of first appearance (HG-1: a limb without cycles is no leaf) and each row's leaf. */
export function leavesOf(data: GpCycleDataset): { leaves: LeafKey[]; leafOfRow: Int32Array } {
  const leaves: LeafKey[] = [];
  const index = new Map<string, number>();
  const leafOfRow = new Int32Array(data.rows);
  for (let r = 0; r < data.rows; r++) {
    const key = `${data.labels[r]}\u0000${data.subjects[r]}\u0000${data.limbs[r]}`;
    let l = index.get(key);
    if (l === undefined) {
      l = leaves.length;
      index.set(key, l);
      leaves.push({ group: data.labels[r], individual: data.subjects[r], limb: data.limbs[r] });
    }
    leafOfRow[r] = l;
  }
  return { leaves, leafOfRow };
}

export const hierarchicalGp = defineModel<GpParams, GpCycleDataset, null, GpState['heldOut'], GpState>({
  name: GP_NAME,
  version: '1.0.0',
  role: 'curve model',
  description: 'hierarchical heteroscedastic sparse variational GP of gait cycles (Stihi et al. 2025), population → group → individual → limb',
  params: gpParams,
  async fit(data, p, { seed, options }) {
    const { leaves, leafOfRow } = leavesOf(data);
    // Training order of the split: cycles of each leaf in row order (rows come sorted by subject and trial).
    const cycles: Float32Array[][] = leaves.map(() => []);
    for (let r = 0; r < data.rows; r++) cycles[leafOfRow[r]].push(data.x.subarray(r * data.points, (r + 1) * data.points));
    const split = splitCycles(cycles, data.points, p.split, seed, p.testFraction);
    // A leaf whose cycles all went to test (one short cycle) would have no training points: its test points go back.
    split.train.forEach((s, l) => {
      if (observationCount([s]) === 0) { split.train[l] = emptyCellStats(data.points); for (const c of cycles[l]) addCycle(split.train[l], c); split.test[l] = emptyCellStats(data.points); }
    });
    const grid = Float64Array.from({ length: data.points }, (_, j) => j / (data.points - 1));
    const started = performance.now();
    const cap = p.maxIterations * (p.optimizeZ ? 2 : 1);
    const fit = await fitHierarchyAsync(leaves, split.train, grid, {
      m: p.m, noise: p.noise, tieLevels: p.tieLevels, optimizeZ: p.optimizeZ, maxIterations: p.maxIterations,
      onIteration: (iteration, bound, phase) => {
        if (options.signal?.aborted) return false;
        options.onProgress?.({ stage: `phase ${phase}, iteration ${iteration}, bound ${bound.toFixed(1)}`, fraction: Math.min(0.99, iteration / cap) });
      },
    });
    if (fit.cancelled) throw options.signal?.reason ?? new Error('cancelled');
    const fitSeconds = (performance.now() - started) / 1000;
    const leafObservations = split.train.map((s) => observationCount([s]));
    const predictions = predict(fit);
    const heldOut = fit.model.structure.groupIds.map((group) => {
      const node = fit.model.structure.nodeIds.indexOf(group);
      const pooled = pooledPredictive(fit, predictions, node, leafObservations);
      const scored = leaves.map((l, i) => (l.group === group ? i : -1)).filter((i) => i >= 0 && observationCount([split.test[i]]) > 0)
        .map((l) => ({ test: split.test[l], mean: pooled.mean, variance: pooled.variance, train: split.train[l] }));
      const s = scored.length ? nmseAndMsll(scored) : { nmse: NaN, msll: NaN, n: 0 };
      return { group, nmse: s.nmse, msll: s.msll, points: s.n };
    });
    const record = gpRunRecord(fit, seed, { mode: split.mode, testFraction: split.testFraction, seed: split.seed });
    const state: GpState = {
      fitted: { model: fit.model, theta: fit.theta, jitter: fit.jitter, standardisation: fit.standardisation },
      leaves, leafObservations, record, params: p, channels: data.channels, heldOut, fitSeconds,
    };
    // The converged flag stays a boolean in the summary (metrics are numbers).
    const metrics: Record<string, number> = { bound: fit.bound, iterations: fit.iterations, fitSeconds, leaves: leaves.length, observations: fit.observations };
    for (const h of heldOut) { metrics[`nmse_${h.group}`] = h.nmse; metrics[`msll_${h.group}`] = h.msll; }
    const summary: { [key: string]: JsonValue } = {
      heldOut: heldOut.map((h) => ({ ...h })), converged: fit.converged, zOptimisationRejected: fit.zOptimisationRejected,
      groups: fit.model.structure.groupIds, individuals: new Set(leaves.map((l) => `${l.group}/${l.individual}`)).size, cycles: data.rows,
      testPoints: observationCount(split.test), jitterEscalations: fit.jitterEscalations.length,
    };
    return { state, metrics, summary };
  },
  async predict(fitted) {
    return { output: fitted.state.heldOut, summary: { groups: fitted.state.heldOut.length } };
  },
});

