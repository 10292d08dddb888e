// How a fitted hierarchical GP is stored in the models table and read back. θ (Z, every kernel
// hyper-parameter, every node's q(u) = N(m̃, L̃L̃ᵀ), the noise levels, HG-8) is stored as two float32 tensors,
// θ = hi + lo with hi = fround(θ), so that a restored model predicts as the fitted one did to ~1e-14 (float32
// alone would move the posteriors by ~1e-7 relative). The leaves, options, standardisation, jitter and the
// run record (HG-22) are JSON; the noise-variance curves per leaf (and per group, heteroscedastic) are tensors
// for display, computed once at the end of the fit.
import type { StoredState, Trainable } from '../../compute/trainable';
import { hierarchyStructure, gpLayout, type LeafKey } from '../../../src-shared/gp/structure';
import { predict } from '../../../src-shared/gp/predict';
import type { GpRunRecord } from '../../../src-shared/gp/run-record';
import { hierarchicalGp, type GpParams, type GpState } from './index';

function splitDouble(x: Float64Array): { hi: Float32Array; lo: Float32Array } {
  const hi = Float32Array.from(x);
  const lo = Float32Array.from(x, (v, i) => v - hi[i]);
  return { hi, lo };
}

export const gpTrainable: Trainable<GpState> = {
  method: hierarchicalGp,
  dataKind: 'cycles',
  headline: (m) => {
    const groups = Object.keys(m).filter((k) => k.startsWith('msll_')).map((k) => `${k.slice(5)} NMSE ${m[`nmse_${k.slice(5)}`].toFixed(2)} % MSLL ${m[k].toFixed(3)}`);
    return `bound ${m.bound.toFixed(1)} after ${m.iterations} iterations in ${m.fitSeconds.toFixed(1)} s; held out: ${groups.join('; ')}`;
  },
  selectionExtras: (s) => ({
    leaves: s.leaves.map((l, i) => ({ ...l, trainingPoints: s.leafObservations[i] })),
    split: s.record.split,
  }),
  toStored(s): StoredState {
    const { hi, lo } = splitDouble(s.fitted.theta);
    const p = predict(s.fitted);
    const t = s.fitted.model.grid.length;
    const tensors: StoredState['tensors'] = [
      { name: 'theta_hi', shape: [hi.length], values: hi },
      { name: 'theta_lo', shape: [lo.length], values: lo },
      { name: 'leaf_noise_variance', shape: [p.leaves.length, t], values: Float32Array.from(p.leaves.flatMap((l) => Array.from(l.noiseVar))) },
    ];
    if (p.groups.length) tensors.push({ name: 'group_noise_variance', shape: [p.groups.length, t], values: Float32Array.from(p.groups.flatMap((g) => Array.from(g.groupNoiseVar))) });
    return {
      architecture: {
        type: 'hierarchical heteroscedastic sparse variational GP (methods-spec §5.4)', levels: s.params.levels.split(','), noise: s.params.noise,
        m: s.params.m, tieLevels: s.params.tieLevels, gridPoints: t, channels: s.channels, nodes: s.fitted.model.structure.nodeIds,
        groups: s.fitted.model.structure.groupIds, leaves: s.leaves, leafObservations: s.leafObservations, thetaSize: s.fitted.theta.length,
        jitter: s.fitted.jitter, runRecord: s.record as unknown as Record<string, unknown>, heldOut: s.heldOut, fitSeconds: s.fitSeconds, params: { ...s.params },
      },
      preprocessing: { kind: 'pooled z-score of the training points (HG-3)', fittedOn: 'training points', mean: s.fitted.standardisation.mean, sd: s.fitted.standardisation.sd, split: s.record.split },
      tensors,
    };
  },
  fromStored({ architecture: a, preprocessing: pre, tensors }): GpState {
    const hi = tensors.get('theta_hi'), lo = tensors.get('theta_lo');
    if (!hi || !lo) throw new Error('the stored model has no tensors "theta_hi" and "theta_lo"');
    const leaves = a.leaves as LeafKey[];
    const params = a.params as GpParams;
    const structure = hierarchyStructure(leaves, params.tieLevels);
    const t = a.gridPoints as number;
    const model = { structure, layout: gpLayout(structure, params.m, params.noise), grid: Float64Array.from({ length: t }, (_, j) => j / (t - 1)) };
    if (model.layout.size !== hi.length) throw new Error(`the stored model's θ has ${hi.length} entries, its structure needs ${model.layout.size}`);
    const theta = Float64Array.from(hi, (v, i) => v + lo[i]);
    return {
      fitted: { model, theta, jitter: a.jitter as number[], standardisation: { mean: pre.mean as number, sd: pre.sd as number } },
      leaves, leafObservations: a.leafObservations as number[], record: a.runRecord as unknown as GpRunRecord, params,
      channels: a.channels as string[], heldOut: a.heldOut as GpState['heldOut'], fitSeconds: a.fitSeconds as number,
    };
  },
};
