// npm run bench:gp-gaitpdb — the hierarchical GP on real insole data, QUICK SETTINGS (a subset of subjects,
// M = 20, Z fixed, an iteration cap): per-foot total vertical force cycles (L_total, R_total) from GaitLab's own
// InsoleEvents + GaitCycleSegmentation, groups PD (GaPt…) and control (GaCo…) of the Ga study, one walk each.
// Prints held-out NMSE/MSLL per group for the heteroscedastic and homoscedastic models (split by point, 30 %,
// seed 0), the PD-vs-control MMD map, the Wasserstein asymmetry scores and the Mann–Whitney p between the groups. Prints; asserts nothing.
// GP_SUBJECTS (per group, default 8), GP_M (20), GP_ITERATIONS (1000).
import * as path from 'node:path';
import { readdirSync } from 'node:fs';
import { readSourceFile } from '../src-main/formats/source-file';
import { detectFormat } from '../src-main/formats/registry';
import { cycleSegmentation, requireMethod, type DetectedEvent, type TrialChannel, type TrialSignals } from '../src-shared/methods';
import type { GaitEvent } from '../src-shared/signal/events';
import { fillGaps } from '../src-shared/signal/gaps';
import { observationCount } from '../src-shared/gp/cell-stats';
import { mannWhitneyU, minMaxNormalise, mmdProfile } from '../src-shared/gp/comparison';
import { fitHierarchy } from '../src-shared/gp/fit';
import { nmseAndMsll, wassersteinAsymmetry } from '../src-shared/gp/metrics';
import { pooledPredictive, predict } from '../src-shared/gp/predict';
import { splitCycles } from '../src-shared/gp/split';
import type { LeafKey } from '../src-shared/gp/structure';

const perGroup = Number(process.env.GP_SUBJECTS ?? 8), m = Number(process.env.GP_M ?? 20), cap = Number(process.env.GP_ITERATIONS ?? 1000);
const folder = path.join(__dirname, '..', '..', 'shared', 'data', 'gaitpdb');

async function trialOf(file: string): Promise<TrialSignals> {
  const source = await readSourceFile(path.join(folder, file));
  const format = detectFormat(source.name, source.bytes.subarray(0, 64 * 1024));
  if (!format) throw new Error(`${file}: no format recognises it`);
  const trial = (await format.read(source)).sessions[0].trials[0];
  const channels = new Map<string, TrialChannel>();
  for (const c of trial.channels) {
    const filled = fillGaps(c.samples);
    if (filled) channels.set(c.name, { name: c.name, unit: c.unit, rateHz: c.rateHz, domain: c.domain, side: c.side ?? null, values: filled.values });
  }
  return { channels, fileEvents: [] };
}

async function main(): Promise<void> {
  const files = readdirSync(folder).filter((f) => /^Ga(Co|Pt)\d+_01\.txt(\.gz)?$/.test(f)).sort();
  const chosen = [...files.filter((f) => f.startsWith('GaCo')).slice(0, perGroup), ...files.filter((f) => f.startsWith('GaPt')).slice(0, perGroup)];
  const leaves: LeafKey[] = [], cycles: Float64Array[][] = [];
  const detector = requireMethod('InsoleEvents');
  if (detector.kind !== 'transform') throw new Error('InsoleEvents is not a transform');
  for (const file of chosen) {
    const trial = await trialOf(file);
    const events = (detector.run(trial).output as { events: DetectedEvent[] }).events.filter((e): e is GaitEvent => e.side !== null);
    const [l, r] = ['L_total', 'R_total'].map((n) => trial.channels.get(n)!);
    const result = cycleSegmentation.run({ events, channels: { left: { values: l.values, rateHz: l.rateHz! }, right: { values: r.values, rateHz: r.rateHz! } } }).output;
    for (const side of ['left', 'right'] as const) {
      const curves = result.cycles.filter((c) => c.side === side && c.curve && c.flags.length === 0).map((c) => Float64Array.from(c.curve!));
      if (curves.length === 0) continue;
      leaves.push({ group: file.startsWith('GaCo') ? 'control' : 'PD', individual: file.slice(0, 6), limb: side === 'left' ? 'L' : 'R' });
      cycles.push(curves);
    }
  }
  const grid = Float64Array.from({ length: 101 }, (_, j) => j / 100);
  const split = splitCycles(cycles, 101, 'point', 0);
  console.log(`gaitpdb Ga study, ${chosen.length} walks (${perGroup} control, ${perGroup} PD), ${leaves.length} limbs, ${cycles.reduce((a, c) => a + c.length, 0)} clean cycles, ` +
    `${observationCount(split.train).toLocaleString('en')} training / ${observationCount(split.test).toLocaleString('en')} test points; M = ${m}, Z fixed, at most ${cap} iterations (quick settings)`);
  const counts = split.train.map((s) => observationCount([s]));
  for (const noise of ['hetero', 'homo'] as const) {
    const started = performance.now();
    const fit = fitHierarchy(leaves, split.train, grid, { m, noise, optimizeZ: false, maxIterations: cap });
    const seconds = (performance.now() - started) / 1000;
    const p = predict(fit);
    const line: string[] = [];
    for (const group of ['control', 'PD']) {
      const node = fit.model.structure.nodeIds.indexOf(group);
      const pooled = pooledPredictive(fit, p, node, counts);
      const idx = leaves.map((l, i) => (l.group === group ? i : -1)).filter((i) => i >= 0);
      const score = nmseAndMsll(idx.map((l) => ({ test: split.test[l], mean: pooled.mean, variance: pooled.variance, train: split.train[l] })));
      line.push(`${group} NMSE ${score.nmse.toFixed(3)} MSLL ${score.msll.toFixed(3)}`);
    }
    console.log(`${noise}: ${fit.iterations} iterations (converged ${fit.converged}) in ${seconds.toFixed(0)} s, bound ${fit.bound.toFixed(0)}; group-level held-out ${line.join('; ')}`);
    if (noise === 'hetero') {
      const g100 = Float64Array.from({ length: 100 }, (_, j) => j / 99);
      const p100 = predict(fit, g100);
      const scores: Record<string, number[]> = { control: [], PD: [] };
      for (let l = 0; l + 1 < leaves.length; l++) {
        if (leaves[l].individual !== leaves[l + 1].individual) continue;
        const w = wassersteinAsymmetry(g100, { mean: p100.leaves[l].latentMean, variance: p100.leaves[l].predVar }, { mean: p100.leaves[l + 1].latentMean, variance: p100.leaves[l + 1].predVar });
        scores[leaves[l].group].push(w.score);
      }
      // PD vs control MMD map: group pooled predictives at 200 inputs, 500 samples each, min–max normalised.
      const g200 = Float64Array.from({ length: 200 }, (_, j) => j / 199);
      const p200 = predict(fit, g200);
      const [control, pd] = ['control', 'PD'].map((g) => pooledPredictive(fit, p200, fit.model.structure.nodeIds.indexOf(g), counts));
      const [map] = minMaxNormalise([mmdProfile(control, pd)]);
      const regions: string[] = [];
      for (let j = 0; j < 200;) {
        if (map[j] < 0.5) { j++; continue; }
        let k = j;
        while (k + 1 < 200 && map[k + 1] >= 0.5) k++;
        regions.push(`${(100 * g200[j]).toFixed(0)}–${(100 * g200[k]).toFixed(0)} %`);
        j = k + 1;
      }
      const peak = map.indexOf(1);
      console.log(`PD vs control MMD map (normalised): ≥ 0.5 over ${regions.join(', ')} of the cycle; maximum at ${(100 * g200[peak]).toFixed(0)} %`);
      const u = mannWhitneyU(scores.PD, scores.control);
      const fmt = (a: number[]) => a.map((x) => x.toFixed(1)).join(' ');
      console.log(`asymmetry (W1 area, N): control ${fmt(scores.control)}; PD ${fmt(scores.PD)}; Mann–Whitney PD vs control p = ${u.p.toFixed(4)} (${u.method})`);
    }
  }
}

void main();
